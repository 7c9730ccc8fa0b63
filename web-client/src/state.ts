// The client's picture of a session, built from the server's snapshot, events and progress.
// Pure functions only: every change returns a new state, so views re-render and tests need no DOM.
import type {
  Comment,
  Current,
  EventMessage,
  MyVote,
  Participant,
  Progress,
  RoundResults,
  Scenario,
  ServerMessage,
  SessionView,
  Snapshot,
  VoteValue,
} from './protocol';

export interface ClientState {
  /** The last event this client has applied; sent as last_seq when reconnecting. */
  seq: number;
  session: SessionView | null;
  /** Present for a participant: who this device is in the session. */
  you: Participant | null;
  isFacilitator: boolean;
  /** Facilitator only: everyone who has joined. */
  participants: Participant[];
  /** This participant's own votes, keyed by voteKey(). */
  myVotes: Record<string, VoteValue>;
  comments: Comment[];
  /** Results by resultsKey(scenario, round). */
  results: Record<string, RoundResults>;
  progress: Progress | null;
}

export const emptyState: ClientState = {
  seq: 0,
  session: null,
  you: null,
  isFacilitator: false,
  participants: [],
  myVotes: {},
  comments: [],
  results: {},
  progress: null,
};

export const voteKey = (scenario: string, round: number, test: string) => `${scenario}|${round}|${test}`;
export const resultsKey = (scenario: string, round: number) => `${scenario}|${round}`;

/** Applies one server message; messages that do not change the session return the same state. */
export function reduce(state: ClientState, msg: ServerMessage): ClientState {
  switch (msg.type) {
    case 'snapshot':
      return fromSnapshot(msg);
    case 'event':
      return applyEvent(state, msg);
    case 'events':
      return Array.isArray(msg.events) ? msg.events.reduce(applyEvent, state) : state;
    case 'progress': {
      const { type: _type, ...progress } = msg;
      return { ...state, progress };
    }
    default:
      return state;
  }
}

export function fromSnapshot(s: Snapshot): ClientState {
  const myVotes: Record<string, VoteValue> = {};
  for (const v of s.my_votes ?? []) myVotes[voteKey(v.scenario, v.round, v.test)] = v.value;
  const results: Record<string, RoundResults> = {};
  for (const r of s.results ?? []) results[resultsKey(r.scenario, r.round)] = r;
  const isFacilitator = s.you?.role === 'facilitator';
  return {
    seq: s.seq,
    session: s.session,
    you: !isFacilitator && s.you && typeof s.you.participant === 'number' ? (s.you as unknown as Participant) : null,
    isFacilitator,
    participants: s.participants ?? [],
    myVotes,
    comments: sortComments(s.comments ?? []),
    results,
    progress: s.progress ?? null,
  };
}

function withCurrent(session: SessionView, current: Current | undefined): SessionView {
  return current ? { ...session, ...current } : session;
}

function updateScenario(session: SessionView, id: string, f: (s: Scenario) => Scenario): SessionView {
  return { ...session, scenarios: session.scenarios.map((s) => (s.id === id ? f(s) : s)) };
}

function addRound(s: Scenario, round: number): Scenario {
  if (s.rounds.some((r) => r.round === round)) return s;
  return { ...s, rounds: [...s.rounds, { round, revealed: false }] };
}

function upsertComment(comments: Comment[], c: Partial<Comment> & { id: number }): Comment[] {
  const i = comments.findIndex((x) => x.id === c.id);
  if (i < 0) {
    // A bare {id, hidden} withdraws a comment this client never had: nothing to do.
    if (typeof c.text !== 'string') return comments;
    return sortComments([...comments, c as Comment]);
  }
  const next = comments.slice();
  // Authorship never changes and an endorsement cannot be withdrawn: a view shared with everyone
  // (which may say mine/endorsed false, or leave them out) never undoes what this client knew.
  const before = comments[i];
  next[i] = { ...before, ...c, mine: before.mine || c.mine, endorsed: before.endorsed || c.endorsed };
  return sortComments(next);
}

/** Pinned first, then oldest first, so the stream reads like a conversation. */
export function sortComments(comments: Comment[]): Comment[] {
  return comments.slice().sort((a, b) => Number(b.pinned) - Number(a.pinned) || a.id - b.id);
}

export function applyEvent(state: ClientState, e: EventMessage): ClientState {
  if (!state.session) return state;
  // Events are sent in order; anything at or below what we have is already in our state (e.g. a
  // snapshot that overtook it).
  if (e.seq <= state.seq) return state;
  let session = withCurrent(state.session, e.current);
  let next: ClientState = { ...state, seq: e.seq };
  const scenarioId = typeof e.scenario === 'string' ? e.scenario : null;
  switch (e.event) {
    case 'participant_joined': {
      const p = e as unknown as Participant;
      if (!next.participants.some((x) => x.participant === p.participant))
        next.participants = [
          ...next.participants,
          { participant: p.participant, name: p.name, pseudonym: p.pseudonym, area: p.area, sector: p.sector, role: p.role },
        ];
      break;
    }
    case 'scenario_opened':
    case 'round_started':
      if (scenarioId) session = updateScenario(session, scenarioId, (s) => addRound(s, e.round as number));
      break;
    case 'results_revealed': {
      const round = e.round as number;
      if (scenarioId) {
        session = updateScenario(session, scenarioId, (s) => ({
          ...addRound(s, round),
          rounds: addRound(s, round).rounds.map((r) => (r.round === round ? { ...r, revealed: true } : r)),
        }));
        const results = e.results as RoundResults | undefined;
        if (results) next.results = { ...next.results, [resultsKey(scenarioId, round)]: results };
      }
      break;
    }
    case 'vote_cast': {
      const v = e as unknown as MyVote;
      next.myVotes = { ...next.myVotes, [voteKey(v.scenario, v.round, v.test)]: v.value };
      break;
    }
    case 'comment_added':
    case 'comment_endorsed':
    case 'comment_hidden':
    case 'comment_pinned': {
      const c = e.comment as (Partial<Comment> & { id: number }) | undefined;
      if (c) next.comments = upsertComment(next.comments, c);
      break;
    }
    case 'scenario_added':
    case 'scenario_updated': {
      const sc = e.scenario as unknown as Scenario;
      const exists = session.scenarios.some((s) => s.id === sc.id);
      session = {
        ...session,
        scenarios: exists ? session.scenarios.map((s) => (s.id === sc.id ? sc : s)) : [...session.scenarios, sc],
      };
      break;
    }
    case 'scenarios_reordered': {
      const order = e.order as string[];
      const byId = new Map(session.scenarios.map((s) => [s.id, s]));
      session = { ...session, scenarios: order.map((id) => byId.get(id)).filter((s): s is Scenario => !!s) };
      break;
    }
    default:
      // voting_opened, voting_closed, session_ended, visibility_changed: `current` says it all.
      break;
  }
  next.session = session;
  return next;
}

// --- Selectors ---------------------------------------------------------------------------------

export function currentScenario(state: ClientState): Scenario | null {
  const s = state.session;
  if (!s || !s.scenario) return null;
  return s.scenarios.find((x) => x.id === s.scenario) ?? null;
}

export function scenarioNumber(state: ClientState, id: string | null): number {
  if (!state.session || !id) return 0;
  return state.session.scenarios.findIndex((s) => s.id === id) + 1;
}

/** The results of the current round, if this viewer may see them (facilitators always may). */
export function currentResults(state: ClientState, opts: { onlyRevealed?: boolean } = {}): RoundResults | null {
  const s = state.session;
  if (!s || !s.scenario || !s.round) return null;
  const sc = currentScenario(state);
  const revealed = sc?.rounds.find((r) => r.round === s.round)?.revealed ?? false;
  if (opts.onlyRevealed && !revealed) return null;
  const stored = state.results[resultsKey(s.scenario, s.round)];
  // Progress carries live figures for the current round; prefer them while they are newer.
  const p = state.progress;
  if (p && p.scenario === s.scenario && p.round === s.round && p.tests?.every((t) => t.results)) {
    const byTest = new Map(stored?.tests.map((t) => [t.test, t]));
    return {
      scenario: s.scenario,
      round: s.round,
      tests: p.tests.map((t) => ({ ...byTest.get(t.test), ...t.results!, test: t.test })),
    };
  }
  return stored ?? null;
}

/** How many have voted on each test in the current round. */
export function votedCounts(state: ClientState): Record<string, number> {
  const out: Record<string, number> = {};
  const s = state.session;
  const p = state.progress;
  if (!s || !p || p.scenario !== s.scenario || p.round !== s.round) return out;
  for (const t of p.tests ?? []) out[t.test] = t.voted;
  return out;
}

/**
 * Records a vote this device cast, once the server has acknowledged it. The server sends the
 * voting connection only the ack (PROTOCOL.md, `vote`); the voter's other devices get `vote_cast`.
 */
export function recordOwnVote(
  state: ClientState,
  vote: { scenario: string; round?: number; test: string; value: VoteValue },
): ClientState {
  const round = vote.round ?? (state.session?.scenario === vote.scenario ? state.session.round : null);
  if (!round) return state;
  const key = voteKey(vote.scenario, round, vote.test);
  if (state.myVotes[key] === vote.value) return state;
  return { ...state, myVotes: { ...state.myVotes, [key]: vote.value } };
}

export function myVote(state: ClientState, test: string): VoteValue | undefined {
  const s = state.session;
  if (!s || !s.scenario || !s.round) return undefined;
  return state.myVotes[voteKey(s.scenario, s.round, test)];
}

/** Comments on a scenario this viewer should see (participants: hidden ones only if their own). */
export function visibleComments(state: ClientState, scenario: string | null): Comment[] {
  if (!scenario) return [];
  return state.comments.filter((c) => c.scenario === scenario && (state.isFacilitator || !c.hidden || c.mine));
}
