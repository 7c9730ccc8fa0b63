// What the browser keeps between visits, per join code: a participant's place in the session (so a
// reload or a dropped connection comes back as the same person), unsent actions, and the
// facilitator's key to the console. localStorage can be unavailable (private modes, full disks):
// then everything still works for the life of the page.

export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function memoryStore(): KeyValue {
  const m = new Map<string, string>();
  return {
    get: (k) => m.get(k) ?? null,
    set: (k, v) => void m.set(k, v),
    remove: (k) => void m.delete(k),
  };
}

function browserStore(): KeyValue {
  const fallback = memoryStore();
  const ok = (() => {
    try {
      const k = '__quorum_probe__';
      localStorage.setItem(k, '1');
      localStorage.removeItem(k);
      return true;
    } catch {
      return false;
    }
  })();
  if (!ok) return fallback;
  return {
    get: (k) => {
      try {
        return localStorage.getItem(k);
      } catch {
        return fallback.get(k);
      }
    },
    set: (k, v) => {
      try {
        localStorage.setItem(k, v);
      } catch {
        fallback.set(k, v);
      }
    },
    remove: (k) => {
      try {
        localStorage.removeItem(k);
      } catch {
        fallback.remove(k);
      }
    },
  };
}

let store: KeyValue | null = null;
export function kv(): KeyValue {
  return (store ??= typeof localStorage === 'undefined' ? memoryStore() : browserStore());
}

export interface ParticipantIdentity {
  token: string;
  participant: number;
  pseudonym: string;
}

export const keys = {
  participant: (code: string) => `quorum.participant.${code}`,
  outbox: (code: string) => `quorum.outbox.${code}`,
  facilitator: (code: string) => `quorum.facilitator.${code}`,
};

export function loadIdentity(store: KeyValue, code: string): ParticipantIdentity | null {
  try {
    const v = JSON.parse(store.get(keys.participant(code)) ?? 'null');
    if (v && typeof v.token === 'string' && typeof v.participant === 'number') return v;
  } catch {
    /* fall through */
  }
  return null;
}

export function saveIdentity(store: KeyValue, code: string, id: ParticipantIdentity): void {
  store.set(keys.participant(code), JSON.stringify(id));
}

export function forgetIdentity(store: KeyValue, code: string): void {
  store.remove(keys.participant(code));
  store.remove(keys.outbox(code));
}
