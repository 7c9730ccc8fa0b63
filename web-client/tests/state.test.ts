import { describe, expect, it } from 'vitest';
import { currentResults, emptyState, fromSnapshot, myVote, recordOwnVote, reduce, resultsKey, visibleComments, votedCounts } from '../src/state';
import type { Current, RoundResults, Stats } from '../src/protocol';
import { comment, event, participantSnapshot } from './fixtures';

const current = (patch: Partial<Current>): Current => ({
  phase: 'voting_open',
  scenario: 's1',
  round: 1,
  open_tests: ['purposeful', 'proportionate', 'responsible'],
  live_results: false,
  show_comments: true,
  ...patch,
});

function stats(distribution: number[], verdict: Stats['verdict'] = 'meets'): Stats {
  const opinions = distribution.reduce((a, b) => a + b, 0);
  return { voters: opinions, opinions, cant_say: 0, distribution, median: 4, mean: 4, iqr: 0, consensus: 0.9, agreement: 1, polarised: false, verdict };
}

describe('snapshot', () => {
  it('replaces the whole state, indexing votes and results', () => {
    const results: RoundResults = { scenario: 's1', round: 1, tests: [{ test: 'purposeful', ...stats([0, 0, 0, 1, 2]) }] };
    const s = fromSnapshot(participantSnapshot({ results: [results] }));
    expect(s.seq).toBe(10);
    expect(s.you?.pseudonym).toBe('P03');
    expect(s.isFacilitator).toBe(false);
    expect(myVote(s, 'purposeful')).toBe(4);
    expect(myVote(s, 'responsible')).toBeUndefined();
    expect(s.results[resultsKey('s1', 1)]).toEqual(results);
  });

  it('knows a facilitator', () => {
    const s = fromSnapshot(participantSnapshot({ you: { role: 'facilitator' }, participants: [], my_votes: undefined }));
    expect(s.isFacilitator).toBe(true);
    expect(s.you).toBeNull();
  });

  it('an unsolicited snapshot wins over everything before it', () => {
    let s = reduce(emptyState, participantSnapshot());
    s = reduce(s, event(11, 'vote_cast', { scenario: 's1', round: 1, test: 'responsible', value: 2 }));
    s = reduce(s, participantSnapshot({ seq: 12, my_votes: [] }));
    expect(myVote(s, 'responsible')).toBeUndefined();
    expect(s.seq).toBe(12);
  });
});

describe('events', () => {
  const start = () => reduce(emptyState, participantSnapshot());

  it('ignores events before any snapshot', () => {
    expect(reduce(emptyState, event(1, 'session_ended', { current: current({ phase: 'ended' }) }))).toBe(emptyState);
  });

  it('ignores events the snapshot already holds (seq not above it)', () => {
    const s = start();
    expect(reduce(s, event(10, 'vote_cast', { scenario: 's1', round: 1, test: 'purposeful', value: 1 }))).toBe(s);
  });

  it('records a vote this device cast when it is acknowledged', () => {
    const s = start();
    expect(myVote(s, 'responsible')).toBeUndefined();
    const voted = recordOwnVote(s, { scenario: 's1', round: 1, test: 'responsible', value: 4 });
    expect(myVote(voted, 'responsible')).toBe(4);
    expect(voted.seq).toBe(s.seq); // an ack is not an event: last_seq stays
    expect(recordOwnVote(voted, { scenario: 's1', round: 1, test: 'responsible', value: 4 })).toBe(voted);
    // A change of mind replaces the earlier answer.
    expect(myVote(recordOwnVote(s, { scenario: 's1', round: 1, test: 'purposeful', value: 'cant_say' }), 'purposeful')).toBe('cant_say');
    // Without a round, the current round of that scenario; for another scenario, nothing.
    expect(myVote(recordOwnVote(s, { scenario: 's1', test: 'responsible', value: 2 }), 'responsible')).toBe(2);
    expect(recordOwnVote(s, { scenario: 's9', test: 'responsible', value: 2 })).toBe(s);
  });

  it('applies several events sent in one frame, in order', () => {
    const s = reduce(start(), {
      type: 'events',
      events: [
        event(11, 'comment_added', { comment: comment(7) }),
        event(12, 'comment_added', { comment: comment(8) }),
        event(10, 'comment_added', { comment: comment(9) }),
      ],
    });
    expect(s.seq).toBe(12);
    expect(s.comments.map((c) => c.id)).toContain(8);
    expect(s.comments.map((c) => c.id)).not.toContain(9);
  });

  it('records own votes and advances seq', () => {
    const s = reduce(start(), event(11, 'vote_cast', { scenario: 's1', round: 1, test: 'purposeful', value: 'cant_say' }));
    expect(myVote(s, 'purposeful')).toBe('cant_say');
    expect(s.seq).toBe(11);
  });

  it('takes the phase from `current` on phase changes', () => {
    const s = reduce(start(), event(11, 'voting_closed', { scenario: 's1', round: 1, tests: ['purposeful'], current: current({ open_tests: ['proportionate', 'responsible'] }) }));
    expect(s.session?.open_tests).toEqual(['proportionate', 'responsible']);
  });

  it('opens a scenario with its first round, once', () => {
    let s = reduce(start(), event(11, 'scenario_opened', { scenario: 's2', round: 1, current: current({ phase: 'scenario_open', scenario: 's2', open_tests: [] }) }));
    s = reduce(s, event(12, 'scenario_opened', { scenario: 's2', round: 1, current: current({ phase: 'scenario_open', scenario: 's2', open_tests: [] }) }));
    expect(s.session?.scenarios[1].rounds).toEqual([{ round: 1, revealed: false }]);
    expect(s.session?.scenario).toBe('s2');
  });

  it('reveals results and marks the round revealed', () => {
    const results: RoundResults = { scenario: 's1', round: 1, tests: [{ test: 'purposeful', ...stats([0, 0, 1, 1, 1], 'contested') }] };
    const s = reduce(start(), event(11, 'results_revealed', { scenario: 's1', round: 1, results, current: current({ phase: 'results_revealed', open_tests: [] }) }));
    expect(s.session?.scenarios[0].rounds[0].revealed).toBe(true);
    expect(s.results[resultsKey('s1', 1)]).toEqual(results);
    expect(currentResults(s, { onlyRevealed: true })).toEqual(results);
  });

  it('starts a new round: earlier votes stay with their round', () => {
    const s = reduce(start(), event(11, 'round_started', { scenario: 's1', round: 2, current: current({ phase: 'scenario_open', round: 2, open_tests: [] }) }));
    expect(s.session?.scenarios[0].rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(myVote(s, 'purposeful')).toBeUndefined();
  });

  it('adds, updates and reorders scenarios', () => {
    let s = reduce(start(), event(11, 'scenario_added', { scenario: { id: 's3', title: 'Buses', description: 'd', rounds: [] } }));
    s = reduce(s, event(12, 'scenario_updated', { scenario: { id: 's3', title: 'Bus passes', description: 'd', rounds: [] } }));
    s = reduce(s, event(13, 'scenarios_reordered', { order: ['s3', 's1', 's2'] }));
    expect(s.session?.scenarios.map((x) => x.title)).toEqual(['Bus passes', 'Attendance', 'Housing']);
  });

  it('keeps comments pinned first, then in order, and merges partial updates', () => {
    let s = reduce(start(), event(11, 'comment_added', { comment: comment(1, { mine: true }) }));
    s = reduce(s, event(12, 'comment_added', { comment: comment(2) }));
    s = reduce(s, event(13, 'comment_pinned', { comment: comment(2, { pinned: true }) }));
    expect(s.comments.map((c) => c.id)).toEqual([2, 1]);
    // A shared view leaves out "mine": what this client knew stays.
    const { mine: _m, ...shared } = comment(1, { endorsements: 1 });
    s = reduce(s, event(14, 'comment_endorsed', { comment: shared }));
    expect(s.comments.find((c) => c.id === 1)).toMatchObject({ mine: true, endorsements: 1 });
    // Older servers sent "mine": false in the shared view of a moderated comment.
    s = reduce(s, event(15, 'comment_pinned', { comment: comment(1, { mine: false, endorsed: false, pinned: true }) }));
    expect(s.comments.find((c) => c.id === 1)).toMatchObject({ mine: true, pinned: true });
  });

  it('withdraws a hidden comment from participants, but not from its author', () => {
    let s = reduce(start(), event(11, 'comment_added', { comment: comment(1) }));
    s = reduce(s, event(12, 'comment_added', { comment: comment(2, { mine: true }) }));
    s = reduce(s, event(13, 'comment_hidden', { comment: { id: 1, hidden: true } }));
    s = reduce(s, event(14, 'comment_hidden', { comment: comment(2, { mine: true, hidden: true }) }));
    expect(visibleComments(s, 's1').map((c) => c.id)).toEqual([2]);
    // A bare withdrawal of a comment never seen changes nothing.
    expect(reduce(s, event(15, 'comment_hidden', { comment: { id: 9, hidden: true } })).comments).toHaveLength(2);
  });

  it('adds participants for the facilitator', () => {
    let s = reduce(emptyState, participantSnapshot({ you: { role: 'facilitator' }, participants: [] }));
    const p = { participant: 4, name: '', pseudonym: 'P04', area: 'Bradford', sector: 'unspecified', role: 'participant' };
    s = reduce(s, event(11, 'participant_joined', p));
    s = reduce(s, event(12, 'participant_joined', p));
    expect(s.participants).toEqual([p]);
  });
});

describe('progress', () => {
  it('gives vote counts and live results for the current round only', () => {
    let s = reduce(emptyState, participantSnapshot());
    s = reduce(s, {
      type: 'progress',
      seq: 40, // may run ahead of events: never used as last_seq
      participants: { joined: 3, voters: 3, connected: 2 },
      scenario: 's1',
      round: 1,
      tests: [
        { test: 'purposeful', voted: 2, results: stats([0, 0, 0, 1, 1]) },
        { test: 'proportionate', voted: 1, results: stats([0, 1, 0, 0, 0], 'fails') },
        { test: 'responsible', voted: 0, results: stats([0, 0, 0, 0, 0], 'insufficient') },
      ],
    });
    expect(s.seq).toBe(10);
    expect(votedCounts(s)).toEqual({ purposeful: 2, proportionate: 1, responsible: 0 });
    expect(currentResults(s)?.tests.map((t) => t.verdict)).toEqual(['meets', 'fails', 'insufficient']);
    expect(currentResults(s, { onlyRevealed: true })).toBeNull();
    s = reduce(s, { type: 'progress', seq: 41, participants: { joined: 3, voters: 3, connected: 3 }, scenario: 's2', round: 1, tests: [] });
    expect(votedCounts(s)).toEqual({});
  });
});
