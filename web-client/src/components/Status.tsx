import { useEffect, useState } from 'preact/hooks';
import type { ClientView, SessionClient } from '../client';
import { describeWaiting, plural } from '../words';

/**
 * Says when the connection is down and what happens to the person's answers meanwhile. The live
 * region is always in the page so screen readers announce changes politely.
 */
export function ConnectionBanner({ view, client }: { view: ClientView; client: SessionClient }) {
  const down = view.connection !== 'open' && view.connection !== 'stopped';
  const [retryAt, setRetryAt] = useState(0);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (view.retryInMs !== undefined) setRetryAt(Date.now() + view.retryInMs);
  }, [view.retryInMs, view.connection]);
  useEffect(() => {
    if (!down) return;
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [down]);
  const waiting = view.outbox.length;
  const what = describeWaiting(view.outbox.map((x) => x.command.type));
  const seconds = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
  let body = null;
  if (down && view.everConnected) {
    body = (
      <div class="banner banner-offline">
        <p>
          <strong>Connection lost.</strong>{' '}
          {view.connection === 'retrying' && seconds > 0 ? `Trying again in ${plural(seconds, 'second')}.` : 'Reconnecting…'}{' '}
          {waiting > 0
            ? `${what} will be sent when you're back.`
            : 'Nothing you have done is lost.'}
        </p>
        <button type="button" class="btn btn-small" onClick={() => client.reconnect()}>
          Try now
        </button>
      </div>
    );
  } else if (down) {
    body = <div class="banner banner-info"><p>Connecting to the workshop…</p></div>;
  } else if (waiting > 0 && view.joined) {
    body = <div class="banner banner-info"><p>Sending {what}…</p></div>;
  }
  return (
    <div role="status" aria-live="polite" class="banner-slot">
      {body}
    </div>
  );
}

export function Notices({ view, client }: { view: ClientView; client: SessionClient }) {
  return (
    <div aria-live="polite" class="notices">
      {view.notices.map((n) => (
        <div key={n.id} class={`notice notice-${n.tone}`}>
          <p>{n.text}</p>
          <button type="button" class="btn btn-small btn-quiet" onClick={() => client.dismiss(n.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}

export function FatalMessage({ title, text, children }: { title: string; text: string; children?: preact.ComponentChildren }) {
  return (
    <main class="page narrow" id="main">
      <h1>{title}</h1>
      <p class="lead">{text}</p>
      {children}
    </main>
  );
}
