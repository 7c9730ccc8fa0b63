// One WebSocket to /ws that comes back by itself: exponential back-off with jitter, a retry as soon
// as the browser says it is online again or the page becomes visible, and a ping so a silently
// dead connection (a phone that slept, a Wi-Fi hand-over) is noticed.

export type ConnectionStatus = 'connecting' | 'open' | 'retrying' | 'stopped';

/** Milliseconds to wait before retry number `attempt` (0-based): 0.5 s doubling to 10 s, with jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.5 + random() * 0.5));
}

export interface ConnectionHandlers {
  onOpen(): void;
  onMessage(data: unknown): void;
  onStatus(status: ConnectionStatus, retryInMs?: number): void;
}

const PING_EVERY_MS = 20_000;
const SILENCE_LIMIT_MS = 45_000;

export function socketUrl(loc: Location = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws`;
}

export class Connection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly handlers: ConnectionHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.retryNow);
    document.addEventListener('visibilitychange', this.onVisible);
    this.open();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.retryNow);
    document.removeEventListener('visibilitychange', this.onVisible);
    this.clearTimers();
    this.ws?.close(1000);
    this.ws = null;
    this.handlers.onStatus('stopped');
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends if connected; returns false when the message could not go out. */
  send(message: object): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /** Drops the connection as if the network had gone (used by tests and "reconnect now"). */
  drop(): void {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    ws.close(4000, 'dropped by the client');
    this.scheduleRetry();
  }

  private open(): void {
    if (this.stopped) return;
    this.clearTimers();
    this.handlers.onStatus(this.attempt === 0 ? 'connecting' : 'retrying');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.lastHeard = Date.now();
      this.pingTimer = setInterval(() => this.checkAlive(), PING_EVERY_MS);
      this.handlers.onStatus('open');
      this.handlers.onOpen();
    };
    ws.onmessage = (e) => {
      if (this.ws !== ws) return;
      this.lastHeard = Date.now();
      let data: unknown;
      try {
        data = JSON.parse(String(e.data));
      } catch {
        return;
      }
      this.handlers.onMessage(data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.scheduleRetry();
    };
    ws.onerror = () => {
      // onclose follows and schedules the retry.
    };
  }

  private scheduleRetry(): void {
    this.clearTimers();
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt++);
    this.handlers.onStatus('retrying', delay);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  /** Tries to connect now instead of waiting for the next retry ("Try now"). */
  retryNow = (): void => {
    if (this.stopped || this.isOpen || this.ws?.readyState === WebSocket.CONNECTING) return;
    this.open();
  };

  private onVisible = (): void => {
    if (document.visibilityState !== 'visible') return;
    if (this.isOpen) this.checkAlive(true);
    else this.retryNow();
  };

  private checkAlive(force = false): void {
    if (!this.ws) return;
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      // Do not wait for a closing handshake that a dead network will never complete.
      const ws = this.ws;
      this.ws = null;
      ws.close(4001, 'no answer from the server');
      this.scheduleRetry();
      return;
    }
    if (force || Date.now() - this.lastHeard > PING_EVERY_MS / 2) this.send({ type: 'ping' });
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.pingTimer = null;
  }
}
