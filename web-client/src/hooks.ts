import { useEffect, useState } from 'preact/hooks';
import type { ClientView, SessionClient } from './client';

/** Starts the client for the life of the component and re-renders on every change. */
export function useClient(client: SessionClient): ClientView {
  const [view, setView] = useState(client.view);
  useEffect(() => {
    const off = client.subscribe(setView);
    client.start();
    return () => {
      off();
      client.stop();
    };
  }, [client]);
  return view;
}

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Quorum` : 'Quorum';
  }, [title]);
}

/** Ticks once a second while `active`, for countdowns. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}
