// A live session as one object the views subscribe to: the connection, the state built from the
// server's messages, the participant's unsent actions and the messages for the person.
import { Connection, socketUrl, type ConnectionStatus } from './connection';
import {
  canQueue,
  enqueue,
  isAlreadyDone,
  markAllUnsent,
  markSent,
  parseOutbox,
  removeByReq,
  unsent,
  wireCommand,
  type OutboxItem,
} from './outbox';
import { PROTOCOL_VERSION, type Command, type ServerMessage, type SessionInfo, type Sector } from './protocol';
import { emptyState, recordOwnVote, reduce, type ClientState } from './state';
import { keys, kv, saveIdentity, forgetIdentity, type KeyValue } from './storage';
import { errorText } from './words';

export type Identity =
  | { role: 'lookup' }
  | { role: 'participant'; token: string }
  | { role: 'facilitator'; token: string }
  | { role: 'presenter' };

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  text: string;
}

export interface ClientView {
  state: ClientState;
  connection: ConnectionStatus;
  retryInMs?: number;
  /** Has this page ever been connected? (Distinguishes "connecting" from "connection lost".) */
  everConnected: boolean;
  /** The server has accepted this connection into the session (welcome received). */
  joined: boolean;
  /** From a lookup: what the join form needs. */
  info: SessionInfo | null;
  /** The session cannot be opened this way (unknown code, link no longer valid). */
  fatal: { code: string; text: string } | null;
  outbox: OutboxItem[];
  notices: Notice[];
}

export interface JoinForm {
  name: string;
  area: string;
  sector: Sector;
}

interface Waiting {
  resolve(): void;
  reject(e: Error): void;
  label: string;
}

export interface ClientOptions {
  store?: KeyValue;
  url?: string;
}

const REPLY_TIMEOUT_MS = 15_000;
let idCounter = 0;
export function newClientId(): string {
  const c = globalThis.crypto;
  if (c && 'randomUUID' in c) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${++idCounter}`;
}

export class SessionClient {
  view: ClientView;
  private listeners = new Set<(v: ClientView) => void>();
  private conn: Connection;
  private store: KeyValue;
  private nextReq = 1;
  private helloReq = 0;
  private joinWaiting: { req: number; resolve(): void; reject(e: Error): void } | null = null;
  private waiting = new Map<number, Waiting>();
  private outboxWaiting = new Map<string, { resolve(): void; reject(e: Error): void }>();
  private nextNotice = 1;
  /** Between welcome and the first snapshot or catch-up: a snapshot now is the expected one. */
  private awaitingFirst = false;

  constructor(
    readonly code: string,
    private identity: Identity,
    options: ClientOptions = {},
  ) {
    this.store = options.store ?? kv();
    const outbox = identity.role === 'participant' ? parseOutbox(this.store.get(keys.outbox(code))) : [];
    this.view = {
      state: emptyState,
      connection: 'connecting',
      everConnected: false,
      joined: false,
      info: null,
      fatal: null,
      outbox,
      notices: [],
    };
    this.conn = new Connection(options.url ?? socketUrl(), {
      onOpen: () => this.hello(),
      onMessage: (m) => this.onMessage(m as ServerMessage),
      onStatus: (s, retryInMs) => this.onStatus(s, retryInMs),
    });
  }

  get role(): Identity['role'] {
    return this.identity.role;
  }

  subscribe(fn: (v: ClientView) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    this.conn.start();
  }

  stop(): void {
    this.conn.stop();
  }

  /** "Try now": reconnect without waiting for the back-off. */
  reconnect(): void {
    this.conn.retryNow();
  }

  join(form: JoinForm): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.conn.isOpen) {
        reject(new Error("You're not connected at the moment. Wait for the connection to come back, then try again."));
        return;
      }
      const req = this.nextReq++;
      this.joinWaiting = { req, resolve, reject };
      this.conn.send({
        type: 'join',
        req,
        protocol: PROTOCOL_VERSION,
        code: this.code,
        name: form.name.trim(),
        area: form.area,
        ...(form.sector !== 'unspecified' ? { sector: form.sector } : {}),
      });
    });
  }

  /** Leaves the session on this device, to join again as someone else. */
  leave(): void {
    forgetIdentity(this.store, this.code);
    this.identity = { role: 'lookup' };
    this.update({ joined: false, state: emptyState, outbox: [], fatal: null });
    this.conn.drop();
  }

  /**
   * Sends a command. A participant's vote, comment or endorsement made while offline waits and is
   * sent once the connection is back; the facilitator's controls are refused while offline, since
   * the room may have moved on by the time they would arrive.
   */
  send(command: Command, label: string, key?: string): Promise<void> {
    if (canQueue(command) && this.identity.role === 'participant') {
      const item: OutboxItem = { id: newClientId(), command, label, key };
      const replaced = key ? this.view.outbox.find((x) => x.key === key) : undefined;
      if (replaced) this.settleOutbox(replaced.id); // superseded: the newer one speaks for it
      const p = new Promise<void>((resolve, reject) => this.outboxWaiting.set(item.id, { resolve, reject }));
      this.setOutbox(enqueue(this.view.outbox, item));
      this.flush();
      return p;
    }
    return new Promise((resolve, reject) => {
      if (!this.conn.isOpen || !this.view.joined) {
        reject(new Error(`Not done: you're offline. "${label}" was not sent. Try again once you're reconnected.`));
        return;
      }
      const req = this.nextReq++;
      this.waiting.set(req, { resolve, reject, label });
      this.conn.send({ ...command, req });
      // A reply can be lost when the server replaces a backlog with a snapshot: do not wait forever.
      setTimeout(() => {
        const w = this.waiting.get(req);
        if (!w) return;
        this.waiting.delete(req);
        w.reject(new Error(`No answer from the server about "${label}". Check the current phase before trying again.`));
      }, REPLY_TIMEOUT_MS);
    });
  }

  dismiss(id: number): void {
    this.update({ notices: this.view.notices.filter((n) => n.id !== id) });
  }

  notify(tone: Notice['tone'], text: string): void {
    const notice = { id: this.nextNotice++, tone, text };
    this.update({ notices: [...this.view.notices.slice(-4), notice] });
  }

  // --- internals -------------------------------------------------------------------------------

  private update(patch: Partial<ClientView>): void {
    this.view = { ...this.view, ...patch };
    for (const fn of this.listeners) fn(this.view);
  }

  private setOutbox(outbox: OutboxItem[]): void {
    if (this.identity.role === 'participant') {
      const saved = outbox.map(({ req: _req, ...x }) => x);
      if (saved.length) this.store.set(keys.outbox(this.code), JSON.stringify(saved));
      else this.store.remove(keys.outbox(this.code));
    }
    this.update({ outbox });
  }

  private settleOutbox(id: string, error?: Error): void {
    const w = this.outboxWaiting.get(id);
    this.outboxWaiting.delete(id);
    if (!w) return;
    if (error) w.reject(error);
    else w.resolve();
  }

  private hello(): void {
    const req = this.nextReq++;
    this.helloReq = req;
    const lastSeq = this.view.state.session && this.view.state.seq > 0 ? { last_seq: this.view.state.seq } : {};
    switch (this.identity.role) {
      case 'lookup':
        this.conn.send({ type: 'lookup', req, code: this.code });
        break;
      case 'participant':
        this.conn.send({ type: 'resume', req, protocol: PROTOCOL_VERSION, code: this.code, token: this.identity.token, ...lastSeq });
        break;
      case 'facilitator':
        this.conn.send({ type: 'facilitate', req, protocol: PROTOCOL_VERSION, code: this.code, token: this.identity.token, ...lastSeq });
        break;
      case 'presenter':
        this.conn.send({ type: 'present', req, protocol: PROTOCOL_VERSION, code: this.code, ...lastSeq });
        break;
    }
  }

  private flush(): void {
    if (!this.conn.isOpen || !this.view.joined) return;
    let outbox = this.view.outbox;
    for (const item of unsent(outbox)) {
      const req = this.nextReq++;
      if (!this.conn.send({ ...wireCommand(item), req })) break;
      outbox = markSent(outbox, item.id, req);
    }
    if (outbox !== this.view.outbox) this.setOutbox(outbox);
  }

  private onStatus(status: ConnectionStatus, retryInMs?: number): void {
    if (status === 'open') {
      this.update({ connection: status, retryInMs: undefined, everConnected: true });
      return;
    }
    const wasJoined = this.view.joined;
    // Whatever was on the wire may or may not have arrived: participants' actions are resent
    // (the server recognises a repeat); facilitators are told to check.
    for (const [, w] of this.waiting)
      w.reject(new Error(`The connection dropped before the server confirmed "${w.label}". Check the current phase before trying again.`));
    this.waiting.clear();
    if (this.joinWaiting) {
      this.joinWaiting.reject(new Error('The connection dropped while joining. Please try again.'));
      this.joinWaiting = null;
    }
    this.update({ connection: status, retryInMs, joined: false });
    if (wasJoined && this.view.outbox.some((x) => x.req !== undefined)) this.setOutbox(markAllUnsent(this.view.outbox));
  }

  private onMessage(msg: ServerMessage): void {
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
    switch (msg.type) {
      case 'welcome': {
        if (this.joinWaiting && msg.req === this.joinWaiting.req && msg.token && typeof msg.participant === 'number') {
          saveIdentity(this.store, this.code, { token: msg.token, participant: msg.participant, pseudonym: msg.pseudonym ?? '' });
          this.identity = { role: 'participant', token: msg.token };
          this.joinWaiting.resolve();
          this.joinWaiting = null;
        }
        this.awaitingFirst = true;
        this.update({ joined: true, fatal: null });
        this.flush();
        return;
      }
      case 'session_info':
        this.update({ info: msg });
        return;
      case 'ack':
        this.onAck(msg.req);
        return;
      case 'error':
        this.onError(msg.req, msg.code, msg.message);
        return;
      case 'pong':
        return;
      default: {
        const unsolicited = msg.type === 'snapshot' && !this.awaitingFirst && this.view.joined;
        if (msg.type === 'snapshot' || msg.type === 'progress') this.awaitingFirst = false;
        const state = reduce(this.view.state, msg);
        if (state !== this.view.state) this.update({ state });
        if (unsolicited && this.view.outbox.some((x) => x.req !== undefined)) {
          // The server may have dropped replies along with a backlog: resend what is unconfirmed
          // (each carries its client_id, so nothing is counted twice).
          this.setOutbox(markAllUnsent(this.view.outbox));
          this.flush();
        }
      }
    }
  }

  private onAck(req: unknown): void {
    if (typeof req !== 'number') return;
    const w = this.waiting.get(req);
    if (w) {
      this.waiting.delete(req);
      w.resolve();
      return;
    }
    const { outbox, item } = removeByReq(this.view.outbox, req);
    if (item) {
      // The server does not echo a vote to the device that cast it: the ack is the confirmation.
      if (item.command.type === 'vote') {
        const state = recordOwnVote(this.view.state, item.command);
        if (state !== this.view.state) this.update({ state });
      }
      this.setOutbox(outbox);
      this.settleOutbox(item.id);
    }
  }

  private onError(req: unknown, code: string, message: string): void {
    const text = errorText(code, message);
    if (typeof req === 'number' && req === this.helloReq) {
      if (this.identity.role === 'participant' && code === 'bad_token') {
        // This device's place is gone (e.g. a different database): back to the join form.
        forgetIdentity(this.store, this.code);
        this.identity = { role: 'lookup' };
        this.setOutbox([]);
        this.notify('error', text);
        this.hello();
        return;
      }
      this.update({ fatal: { code, text } });
      this.conn.stop();
      return;
    }
    if (typeof req === 'number' && this.joinWaiting?.req === req) {
      this.joinWaiting.reject(new Error(text));
      this.joinWaiting = null;
      return;
    }
    if (typeof req === 'number') {
      const w = this.waiting.get(req);
      if (w) {
        this.waiting.delete(req);
        w.reject(new Error(text));
        return;
      }
      const { outbox, item } = removeByReq(this.view.outbox, req);
      if (item) {
        this.setOutbox(outbox);
        if (isAlreadyDone(code)) {
          this.settleOutbox(item.id);
        } else {
          const refused = `Not saved: ${item.label}. ${text}`;
          this.notify('error', refused);
          this.settleOutbox(item.id, new Error(refused));
        }
        return;
      }
    }
    this.notify('error', text);
  }
}
