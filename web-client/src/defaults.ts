// The standard framework, as the server applies it when a session names no tests of its own
// (sessions/framework.cpp). Kept here so the facilitator can start editing from it.
import type { Framework } from './protocol';

export function defaultFramework(): Framework {
  return {
    name: 'Data for public benefit',
    tests: [
      {
        id: 'purposeful',
        name: 'Purposeful',
        description:
          'The purpose of the proposed use of data is clearly and transparently defined, so people can see what it is for and it cannot drift into other uses.',
        questions: [
          'Is it clear what problem this use of data is meant to solve, and for whom?',
          'Could the people whose data it is understand the purpose if it were explained to them?',
          'Is the purpose written down and published, or only understood informally?',
          'Does the stated purpose protect against the data being used for something else later?',
        ],
      },
      {
        id: 'proportionate',
        name: 'Proportionate',
        description:
          'The use of data is no bigger than the purpose needs: it minimises what is shared, sets clear limits, and weighs how sensitive the data is against how likely and how severe any harm would be.',
        questions: [
          'Is identifiable data needed, or would anonymised or aggregated data do?',
          'Is only the minimum data shared, with the fewest organisations?',
          'Are there clear limits on what the data may and may not be used for?',
          'How sensitive is this data for the people it describes?',
          'How likely is harm, and how severe would it be if it happened?',
        ],
      },
      {
        id: 'responsible',
        name: 'Responsible',
        description:
          'The likely benefit justifies the use of public resources, weighed against the risks and against whether the intended outcome will actually be delivered.',
        questions: [
          'Is the likely public benefit worth the money, time and effort involved?',
          'Do the benefits outweigh the risks to the people whose data is used?',
          'Is there a realistic plan to act on what the data shows, so the outcome is delivered?',
          'Who is accountable if it goes wrong, and how would anyone find out?',
        ],
      },
    ],
  };
}

/** A test id from its name: lower-case letters, digits, '-' and '_' (what the server accepts). */
export function slugify(name: string, taken: string[] = []): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'test';
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}
