// Every sentence the interface builds from state, in plain English, in one place.
import type { CommentKind, Framework, Phase, Stats, Verdict, VoteValue } from './protocol';

export function listOfNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
export const numberWord = (n: number) => NUMBER_WORDS[n] ?? String(n);

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "all three tests", "Purposeful only", "Purposeful and Responsible". */
export function whichTests(framework: Framework, ids: string[]): string {
  const all = framework.tests;
  if (ids.length === all.length) return all.length === 1 ? all[0].name : `all ${numberWord(all.length)} tests`;
  const names = all.filter((t) => ids.includes(t.id)).map((t) => t.name);
  return names.length === 1 ? `${names[0]} only` : listOfNames(names);
}

export interface PhaseInput {
  phase: Phase;
  open_tests: string[];
  framework: Framework;
  round: number | null;
  scenarioNumber: number;
  scenarioCount: number;
}

/** The headline that tells everyone where the room is, e.g. "Voting is open on all three tests". */
export function phaseHeadline(p: PhaseInput): string {
  const round = p.round && p.round > 1 ? ` (round ${p.round})` : '';
  switch (p.phase) {
    case 'lobby':
      return 'Waiting to start: people are joining';
    case 'scenario_open':
      return `Scenario ${p.scenarioNumber} of ${p.scenarioCount} is being discussed: voting has not opened yet${round}`;
    case 'voting_open':
      return `Voting is open on ${whichTests(p.framework, p.open_tests)}${round}`;
    case 'voting_closed':
      return `Voting is closed: results not shown yet${round}`;
    case 'results_revealed':
      return `Results are shown${round}`;
    case 'ended':
      return 'The session has ended';
  }
}

/** Short status for a participant's phone. */
export function participantStatus(phase: Phase, openHere: boolean): string {
  switch (phase) {
    case 'lobby':
      return "You're in. The facilitator will start soon.";
    case 'scenario_open':
      return 'Read the scenario. Voting opens soon.';
    case 'voting_open':
      return openHere ? 'Voting is open: choose an answer for each test.' : 'Voting is open on other tests.';
    case 'voting_closed':
      return 'Voting is closed. Results will be shown soon.';
    case 'results_revealed':
      return 'Results are in.';
    case 'ended':
      return 'The session has ended. Thank you for taking part.';
  }
}

export const SCALE_SHORT: Record<string, string> = {
  '1': 'Clearly fails',
  '2': 'Mostly fails',
  '3': 'Unsure either way',
  '4': 'Mostly meets',
  '5': 'Clearly meets',
  cant_say: "Can't say",
};

export function voteLabel(v: VoteValue | undefined): string {
  return v === undefined ? 'No answer yet' : SCALE_SHORT[String(v)];
}

export function verdictWords(v: Verdict): string {
  switch (v) {
    case 'meets':
      return 'Meets the test';
    case 'fails':
      return 'Fails the test';
    case 'contested':
      return 'No clear verdict';
    case 'insufficient':
      return 'Not enough answers to say';
  }
}

/** Consensus (Tastle-Wierman, 0 to 1) in words a room understands. */
export function consensusWords(s: Pick<Stats, 'consensus' | 'polarised' | 'opinions'>): string {
  if (s.opinions === 0 || s.consensus === null) return 'No opinions yet';
  if (s.polarised) return 'Views are split between the two ends';
  if (s.consensus >= 0.8) return 'Strong agreement';
  if (s.consensus >= 0.6) return 'Broad agreement';
  if (s.consensus >= 0.4) return 'Mixed views';
  return 'Divided views';
}

/** One sentence that a screen reader reads for a chart, and that the page shows under it. */
export function resultSentence(testName: string, s: Stats): string {
  if (s.voters === 0) return `${testName}: nobody has answered.`;
  const d = s.distribution;
  const fails = d[0] + d[1];
  const unsure = d[2];
  const meets = d[3] + d[4];
  const parts = [
    `${meets} say it meets the test (${d[4]} clearly, ${d[3]} mostly)`,
    `${unsure} unsure`,
    `${fails} say it fails (${d[0]} clearly, ${d[1]} mostly)`,
  ];
  if (s.cant_say) parts.push(`${s.cant_say} can't say`);
  return `${testName}: ${listOfNames(parts)}. ${verdictWords(s.verdict)}; ${consensusWords(s).toLowerCase()}.`;
}

export const KIND_LABEL: Record<CommentKind, string> = {
  benefit: 'Benefit',
  risk: 'Risk',
  question: 'Question',
  suggestion: 'Suggestion',
};

export const SECTOR_LABEL: Record<string, string> = {
  public: 'Public sector',
  voluntary: 'Voluntary or community sector',
  other: 'Other',
  unspecified: 'Prefer not to say',
};

/** Error codes from the server, rewritten for a person when the server's own words would not do. */
export function errorText(code: string, message: string): string {
  switch (code) {
    case 'unknown_session':
      return 'There is no workshop with that code. Check the code with your facilitator.';
    case 'bad_token':
      return message.includes('facilitator')
        ? 'This facilitator link is not valid for the session. Use the link you were given when you created it.'
        : 'This device is no longer recognised in the session. Please join again.';
    case 'server_busy':
      return 'The server is busy. Please try again in a moment.';
    case 'unsupported_protocol':
      return 'This page is out of date. Please reload it.';
    default:
      return message ? message.charAt(0).toUpperCase() + message.slice(1) + (/[.!?]$/.test(message) ? '' : '.') : 'Something went wrong.';
  }
}

/** "2 answers and 1 comment": what is waiting on the phone for the connection to come back. */
export function describeWaiting(types: string[]): string {
  const count = (t: string) => types.filter((x) => x === t).length;
  const parts: string[] = [];
  if (count('vote')) parts.push(plural(count('vote'), 'answer'));
  if (count('comment')) parts.push(plural(count('comment'), 'comment'));
  if (count('endorse')) parts.push(plural(count('endorse'), 'endorsement'));
  return listOfNames(parts);
}
