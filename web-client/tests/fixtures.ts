import type { Comment, EventMessage, Snapshot } from '../src/protocol';
import { defaultFramework } from '../src/defaults';

export function participantSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    type: 'snapshot',
    seq: 10,
    session: {
      code: 'ABC234',
      title: 'Leeds workshop',
      areas: ['Leeds', 'Bradford'],
      framework: defaultFramework(),
      scale: [],
      scenarios: [
        { id: 's1', title: 'Attendance', description: 'Schools share attendance.', rounds: [{ round: 1, revealed: false }] },
        { id: 's2', title: 'Housing', description: 'GPs share with housing.', rounds: [] },
      ],
      phase: 'voting_open',
      scenario: 's1',
      round: 1,
      open_tests: ['purposeful', 'proportionate', 'responsible'],
      live_results: false,
      show_comments: true,
    },
    you: { participant: 3, name: 'Asha', pseudonym: 'P03', area: 'Leeds', sector: 'public', role: 'participant' },
    my_votes: [{ scenario: 's1', round: 1, test: 'purposeful', value: 4 }],
    comments: [],
    results: [],
    progress: { seq: 10, participants: { joined: 3, voters: 3, connected: 3 } },
    ...overrides,
  };
}

export function comment(id: number, extra: Partial<Comment> = {}): Comment {
  return {
    id,
    scenario: 's1',
    round: 1,
    test: null,
    kind: 'risk',
    text: `comment ${id}`,
    author: 'P01 (Leeds)',
    at: 1000 + id,
    endorsements: 0,
    pinned: false,
    hidden: false,
    ...extra,
  };
}

export function event(seq: number, name: string, body: Record<string, unknown> = {}): EventMessage {
  return { type: 'event', event: name, seq, at: 1_700_000_000_000 + seq, ...body } as EventMessage;
}
