import { describe, expect, it } from 'vitest';
import { canQueue, enqueue, markAllUnsent, markSent, parseOutbox, removeByReq, unsent, wireCommand, type OutboxItem } from '../src/outbox';
import { backoffDelay } from '../src/connection';

const vote = (id: string, value: 1 | 2 | 3 | 4 | 5, test = 'purposeful'): OutboxItem => ({
  id,
  command: { type: 'vote', scenario: 's1', round: 1, test, value },
  key: `vote|s1|1|${test}`,
  label: `vote ${value}`,
});

describe('outbox', () => {
  it('keeps only the latest vote on a test', () => {
    let o = enqueue([], vote('a', 1));
    o = enqueue(o, vote('b', 2, 'responsible'));
    o = enqueue(o, vote('c', 5));
    expect(o.map((x) => x.id)).toEqual(['b', 'c']);
  });

  it('resends what was on the wire when the connection dropped, and only that', () => {
    let o = enqueue(enqueue([], vote('a', 1)), vote('b', 2, 'responsible'));
    o = markSent(o, 'a', 7);
    expect(unsent(o).map((x) => x.id)).toEqual(['b']);
    o = markAllUnsent(o);
    expect(unsent(o).map((x) => x.id)).toEqual(['a', 'b']);
  });

  it('settles items by request id', () => {
    const o = markSent(enqueue([], vote('a', 1)), 'a', 3);
    expect(removeByReq(o, 4).item).toBeUndefined();
    const r = removeByReq(o, 3);
    expect(r.item?.id).toBe('a');
    expect(r.outbox).toEqual([]);
  });

  it('sends votes and comments with their id as client_id, so a resend is not counted twice', () => {
    expect(wireCommand(vote('a', 4))).toMatchObject({ type: 'vote', value: 4, client_id: 'a' });
    expect(wireCommand({ id: 'x', command: { type: 'endorse', comment: 3 }, label: 'e' })).toEqual({ type: 'endorse', comment: 3 });
  });

  it('queues only what participants do', () => {
    expect(canQueue({ type: 'vote', scenario: 's', test: 't', value: 1 })).toBe(true);
    expect(canQueue({ type: 'endorse', comment: 1 })).toBe(true);
    expect(canQueue({ type: 'reveal' })).toBe(false);
    expect(canQueue({ type: 'next_scenario' })).toBe(false);
  });

  it('survives a reload, dropping anything malformed and forgetting request ids', () => {
    const saved = JSON.stringify([{ ...vote('a', 2), req: 9 }, { id: 'b', command: { type: 'reveal' }, label: 'x' }, 42]);
    expect(parseOutbox(saved)).toEqual([vote('a', 2)]);
    expect(parseOutbox('not json')).toEqual([]);
    expect(parseOutbox(null)).toEqual([]);
  });
});

describe('reconnection back-off', () => {
  it('doubles from half a second up to ten seconds, with jitter', () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, top))).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(50, () => 0)).toBe(5000);
  });
});
