// The session client against a scripted fake WebSocket: joining, resuming with last_seq, the
// offline outbox sent once on reconnect, refusals reported in words.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionClient } from '../src/client';
import { myVote } from '../src/state';
import { keys, loadIdentity, memoryStore, type KeyValue } from '../src/storage';
import { event, participantSnapshot } from './fixtures';

class FakeSocket {
  static all: FakeSocket[] = [];
  static OPEN = 1;
  static CONNECTING = 0;
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(msg: object) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  last(type: string) {
    return [...this.sent].reverse().find((m) => m.type === type)!;
  }
}
const latest = () => FakeSocket.all[FakeSocket.all.length - 1];

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  const noop = () => {};
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('window', { addEventListener: noop, removeEventListener: noop });
  vi.stubGlobal('document', { addEventListener: noop, removeEventListener: noop, visibilityState: 'visible' });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function joinedParticipant(store: KeyValue) {
  const client = new SessionClient('ABC234', { role: 'lookup' }, { store, url: 'ws://test/ws' });
  client.start();
  latest().open();
  expect(latest().last('lookup')).toMatchObject({ code: 'ABC234' });
  const joining = client.join({ name: ' Asha ', area: 'Leeds', sector: 'unspecified' });
  const join = latest().last('join');
  expect(join).toMatchObject({ protocol: 1, code: 'ABC234', name: 'Asha', area: 'Leeds' });
  expect(join).not.toHaveProperty('sector');
  latest().receive({ type: 'welcome', req: join.req, protocol: 1, session: 'ABC234', role: 'participant', participant: 3, pseudonym: 'P03', token: 'tok' });
  latest().receive(participantSnapshot());
  return { client, joining };
}

describe('SessionClient', () => {
  it('joins, keeps the token in the browser, and resumes with last_seq after a drop', async () => {
    const store = memoryStore();
    const { client, joining } = joinedParticipant(store);
    await joining;
    expect(loadIdentity(store, 'ABC234')).toEqual({ token: 'tok', participant: 3, pseudonym: 'P03' });
    expect(client.role).toBe('participant');
    latest().receive(event(11, 'vote_cast', { scenario: 's1', round: 1, test: 'responsible', value: 5 }));
    latest().close();
    expect(client.view.connection).toBe('retrying');
    vi.advanceTimersByTime(1000);
    latest().open();
    expect(latest().last('resume')).toMatchObject({ code: 'ABC234', token: 'tok', last_seq: 11 });
  });

  it('sends a vote made offline once on reconnect, with its client_id', () => {
    const store = memoryStore();
    const { client } = joinedParticipant(store);
    latest().close();
    const sentVote = client.send({ type: 'vote', scenario: 's1', round: 1, test: 'purposeful', value: 2 }, 'your answer', 'vote|s1|1|purposeful');
    // Changed again while offline: only the latest goes.
    client.send({ type: 'vote', scenario: 's1', round: 1, test: 'purposeful', value: 3 }, 'your answer', 'vote|s1|1|purposeful');
    expect(client.view.outbox).toHaveLength(1);
    expect(JSON.parse(store.get(keys.outbox('ABC234'))!)).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    const ws = latest();
    ws.open();
    const resume = ws.last('resume');
    expect(ws.sent.filter((m) => m.type === 'vote')).toHaveLength(0); // not before the welcome
    ws.receive({ type: 'welcome', req: resume.req, protocol: 1, session: 'ABC234', role: 'participant', participant: 3, pseudonym: 'P03' });
    const votes = ws.sent.filter((m) => m.type === 'vote');
    expect(votes).toHaveLength(1);
    expect(votes[0]).toMatchObject({ value: 3, client_id: client.view.outbox[0].id });
    expect(myVote(client.view.state, 'purposeful')).toBe(4); // from the snapshot
    // The ack alone confirms it: the server sends no vote_cast back to this device.
    ws.receive({ type: 'ack', req: votes[0].req, seq: 12 });
    expect(myVote(client.view.state, 'purposeful')).toBe(3);
    expect(client.view.outbox).toEqual([]);
    expect(store.get(keys.outbox('ABC234'))).toBeNull();
    return expect(sentVote).resolves.toBeUndefined();
  });

  it('reports in words when the server refuses a queued action', async () => {
    const { client } = joinedParticipant(memoryStore());
    const p = client.send({ type: 'vote', scenario: 's1', round: 1, test: 'purposeful', value: 2 }, 'your answer on Purposeful', 'k');
    const v = latest().last('vote');
    latest().receive({ type: 'error', req: v.req, code: 'voting_closed', message: 'voting on Purposeful is not open' });
    await expect(p).rejects.toThrow('Not saved: your answer on Purposeful. Voting on Purposeful is not open.');
    expect(client.view.notices.map((n) => n.text)).toEqual(['Not saved: your answer on Purposeful. Voting on Purposeful is not open.']);
    expect(client.view.outbox).toEqual([]);
  });

  it('treats "already endorsed" after a resend as done', async () => {
    const { client } = joinedParticipant(memoryStore());
    const p = client.send({ type: 'endorse', comment: 4 }, 'your endorsement');
    const e = latest().last('endorse');
    latest().receive({ type: 'error', req: e.req, code: 'already_endorsed', message: 'you have already endorsed this comment' });
    await expect(p).resolves.toBeUndefined();
    expect(client.view.notices).toEqual([]);
  });

  it('refuses facilitator controls while offline instead of queueing them', async () => {
    const client = new SessionClient('ABC234', { role: 'facilitator', token: 'ftok' }, { store: memoryStore(), url: 'ws://test/ws' });
    client.start();
    latest().open();
    const f = latest().last('facilitate');
    expect(f).toMatchObject({ token: 'ftok' });
    expect(f).not.toHaveProperty('last_seq');
    latest().receive({ type: 'welcome', req: f.req, protocol: 1, session: 'ABC234', role: 'facilitator' });
    const reveal = client.send({ type: 'reveal' }, 'Reveal the results');
    latest().close();
    await expect(reveal).rejects.toThrow(/connection dropped before the server confirmed "Reveal the results"/);
    await expect(client.send({ type: 'next_scenario' }, 'Next')).rejects.toThrow(/offline/);
  });

  it('goes back to the join form when the stored place is no longer valid', () => {
    const store = memoryStore();
    store.set(keys.participant('ABC234'), JSON.stringify({ token: 'old', participant: 1, pseudonym: 'P01' }));
    const client = new SessionClient('ABC234', { role: 'participant', token: 'old' }, { store, url: 'ws://test/ws' });
    client.start();
    latest().open();
    const r = latest().last('resume');
    latest().receive({ type: 'error', req: r.req, code: 'bad_token', message: "this device's place in the session was not found; please join again" });
    expect(client.role).toBe('lookup');
    expect(loadIdentity(store, 'ABC234')).toBeNull();
    expect(latest().last('lookup')).toBeTruthy();
  });

  it('shows a fatal message for an unknown code', () => {
    const client = new SessionClient('ZZZZZZ', { role: 'lookup' }, { store: memoryStore(), url: 'ws://test/ws' });
    client.start();
    latest().open();
    const l = latest().last('lookup');
    latest().receive({ type: 'error', req: l.req, code: 'unknown_session', message: 'there is no session with the code ZZZZZZ' });
    expect(client.view.fatal?.text).toMatch(/no workshop with that code/);
  });
});
