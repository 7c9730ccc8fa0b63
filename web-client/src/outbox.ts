// What a participant has done that the server has not confirmed yet. Votes, comments and
// endorsements made while offline wait here and are sent once when the connection is back; each
// carries a client_id (or is naturally idempotent) so a resend after a dropped connection is never
// counted twice. Pure functions over a plain array, so it can be saved in the browser and tested.
import type { Command } from './protocol';

export interface OutboxItem {
  /** Stable id: also the client_id the server uses to ignore a resend. */
  id: string;
  command: Command;
  /** Items with the same key replace each other: only the latest vote on a test is sent. */
  key?: string;
  /** What it was, in words, for a message if the server refuses it. */
  label: string;
  /** The request id while it is on the wire; cleared when the connection drops. */
  req?: number;
}

/** Participants' actions can wait for a connection; the facilitator's controls cannot. */
export function canQueue(command: Command): boolean {
  return command.type === 'vote' || command.type === 'comment' || command.type === 'endorse';
}

export function enqueue(outbox: OutboxItem[], item: OutboxItem): OutboxItem[] {
  const rest = item.key ? outbox.filter((x) => x.key !== item.key) : outbox;
  return [...rest, item];
}

export function markSent(outbox: OutboxItem[], id: string, req: number): OutboxItem[] {
  return outbox.map((x) => (x.id === id ? { ...x, req } : x));
}

/** The connection dropped: whatever was on the wire is sent again (once) on reconnect. */
export function markAllUnsent(outbox: OutboxItem[]): OutboxItem[] {
  return outbox.map(({ req: _req, ...x }) => x);
}

export function unsent(outbox: OutboxItem[]): OutboxItem[] {
  return outbox.filter((x) => x.req === undefined);
}

export function removeByReq(outbox: OutboxItem[], req: number): { outbox: OutboxItem[]; item?: OutboxItem } {
  const item = outbox.find((x) => x.req === req);
  return { outbox: item ? outbox.filter((x) => x !== item) : outbox, item };
}

/** Only well-formed items survive a reload (storage may hold anything). */
export function parseOutbox(text: string | null): OutboxItem[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text);
    if (!Array.isArray(v)) return [];
    return v
      .filter((x) => x && typeof x.id === 'string' && x.command && canQueue(x.command) && typeof x.label === 'string')
      .map(({ req: _req, ...x }) => x as OutboxItem);
  } catch {
    return [];
  }
}

/** Adds the item's id as client_id where the protocol takes one. */
export function wireCommand(item: OutboxItem): Command {
  const c = item.command;
  if (c.type === 'vote' || c.type === 'comment') return { ...c, client_id: item.id };
  return c;
}

/** Errors that mean the action already took effect (sent twice across a reconnect). */
export function isAlreadyDone(code: string): boolean {
  return code === 'already_endorsed';
}
