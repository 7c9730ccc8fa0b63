// Wire types of Quorum's WebSocket protocol (version 1), as the server sends and accepts them.
// The source of truth is protocol/decode.cpp (client messages) and protocol/views.cpp (server
// messages); see protocol/PROTOCOL.md.

export const PROTOCOL_VERSION = 1;

export type Phase =
  | 'lobby'
  | 'scenario_open'
  | 'voting_open'
  | 'voting_closed'
  | 'results_revealed'
  | 'ended';

export type VoteValue = 1 | 2 | 3 | 4 | 5 | 'cant_say';
export type CommentKind = 'benefit' | 'risk' | 'question' | 'suggestion';
export type Sector = 'public' | 'voluntary' | 'other' | 'unspecified';
export type Verdict = 'meets' | 'fails' | 'contested' | 'insufficient';

export interface FrameworkTest {
  id: string;
  name: string;
  description: string;
  questions: string[];
}

export interface Framework {
  name: string;
  tests: FrameworkTest[];
}

export interface ScaleItem {
  value: VoteValue;
  label: string;
}

/** A scenario as written by the facilitator (the shape add/update_scenario and POST take). */
export interface ScenarioText {
  id?: string;
  title: string;
  description: string;
  data_involved?: string;
  sharing?: string;
  purpose?: string;
  theme?: string;
}

export interface Scenario extends ScenarioText {
  id: string;
  rounds: { round: number; revealed: boolean }[];
}

/** The state of the room; the same keys come as `current` on phase-changing events. */
export interface Current {
  phase: Phase;
  scenario: string | null;
  round: number | null;
  open_tests: string[];
  live_results: boolean;
  show_comments: boolean;
}

export interface SessionView extends Current {
  code: string;
  title: string;
  areas: string[];
  framework: Framework;
  scale: ScaleItem[];
  scenarios: Scenario[];
}

export interface Participant {
  participant: number;
  name: string;
  pseudonym: string;
  area: string;
  sector: Sector;
  role: 'participant' | 'observer';
}

export interface Comment {
  id: number;
  scenario: string;
  round: number;
  test: string | null;
  kind: CommentKind;
  text: string;
  author: string;
  at: number;
  endorsements: number;
  pinned: boolean;
  hidden: boolean;
  mine?: boolean;
  endorsed?: boolean;
}

export interface Stats {
  voters: number;
  opinions: number;
  cant_say: number;
  distribution: number[]; // counts at points 1..5
  median: number | null;
  mean: number | null;
  iqr: number | null;
  consensus: number | null;
  agreement: number | null;
  polarised: boolean;
  verdict: Verdict;
}

export interface TestResults extends Stats {
  test: string;
  by_area?: (Stats & { area: string })[];
}

export interface RoundResults {
  scenario: string;
  round: number;
  tests: TestResults[];
}

export interface Progress {
  seq: number;
  participants: {
    joined: number;
    voters: number;
    connected: number;
    by_area?: { area: string; joined: number; connected: number }[];
  };
  scenario?: string;
  round?: number;
  tests?: {
    test: string;
    voted: number;
    by_area?: { area: string; voted: number }[];
    results?: Stats;
  }[];
}

export interface MyVote {
  scenario: string;
  round: number;
  test: string;
  value: VoteValue;
}

export interface Snapshot {
  type: 'snapshot';
  seq: number;
  session: SessionView;
  you?: Partial<Omit<Participant, 'role'>> & { role: 'participant' | 'observer' | 'facilitator' };
  participants?: Participant[];
  my_votes?: MyVote[];
  comments: Comment[];
  results: RoundResults[];
  progress: Omit<Progress, 'seq'> & { seq: number };
}

export interface EventMessage {
  type: 'event';
  event: string;
  seq: number;
  at: number;
  current?: Current;
  [key: string]: unknown;
}

/** Several events in one frame, in seq order (how comments reach other participants). */
export interface EventsMessage {
  type: 'events';
  events: EventMessage[];
}

export interface Welcome {
  type: 'welcome';
  req: ReqId;
  protocol: number;
  session: string;
  role: string;
  participant?: number;
  pseudonym?: string;
  token?: string;
}

export interface SessionInfo {
  type: 'session_info';
  req: ReqId;
  code: string;
  title: string;
  areas: string[];
  phase: Phase;
}

export type ReqId = number | string | null;

export interface Ack {
  type: 'ack';
  req: ReqId;
  seq?: number;
  duplicate?: boolean;
}

export interface ErrorMessage {
  type: 'error';
  req: ReqId;
  code: string;
  message: string;
}

export type ServerMessage =
  | Snapshot
  | EventMessage
  | EventsMessage
  | (Progress & { type: 'progress' })
  | Welcome
  | SessionInfo
  | Ack
  | ErrorMessage
  | { type: 'pong'; req: ReqId };

/** Commands a client sends once in a session (the hello messages are built by the client). */
export type Command =
  | { type: 'vote'; scenario: string; test: string; value: VoteValue; round?: number; client_id?: string }
  | { type: 'comment'; scenario: string; test?: string; kind: CommentKind; text: string; client_id?: string }
  | { type: 'endorse'; comment: number }
  | { type: 'open_scenario'; scenario: string }
  | { type: 'next_scenario' }
  | { type: 'open_voting'; test?: string }
  | { type: 'close_voting'; test?: string }
  | { type: 'reveal' }
  | { type: 'new_round' }
  | { type: 'end_session' }
  | { type: 'set_visibility'; live_results?: boolean; show_comments?: boolean }
  | { type: 'moderate_comment'; comment: number; hidden?: boolean; pinned?: boolean }
  | { type: 'add_scenario'; scenario: ScenarioText }
  | { type: 'update_scenario'; scenario: ScenarioText & { id: string } }
  | { type: 'reorder_scenarios'; order: string[] };

/** The body of POST /api/sessions. */
export interface SessionRequest {
  title: string;
  areas: string[];
  framework?: Framework;
  scenarios?: ScenarioText[];
}

export interface CreatedSession {
  code: string;
  facilitator_token: string;
  join_path: string;
  facilitator_path: string;
}

/** The export formats served at GET /api/sessions/{code}/export/{format}. */
export const EXPORT_FORMATS = [
  { format: 'report.html', label: 'Report (web page)', hint: 'A readable report of the whole workshop' },
  { format: 'report.md', label: 'Report (Markdown)', hint: 'The same report as plain text' },
  { format: 'findings.json', label: 'Findings (JSON)', hint: 'Results per scenario, for other tools' },
  { format: 'votes.csv', label: 'Votes (CSV)', hint: 'Every vote, for a spreadsheet' },
  { format: 'comments.csv', label: 'Comments (CSV)', hint: 'Every comment, for a spreadsheet' },
  { format: 'transcript.md', label: 'Transcript (Markdown)', hint: 'Everything that happened, in order' },
  { format: 'transcript.jsonl', label: 'Transcript (JSON lines)', hint: 'The full event log' },
] as const;
