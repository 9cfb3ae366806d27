import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { Client } from 'graphql-ws';
import type { Session } from './api';

export interface FeedItem {
  readonly position: number;
  readonly partnershipId: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly actor: string | null;
  readonly data: Record<string, unknown>;
}

export interface Live {
  readonly client: Client | null;
  readonly connected: boolean;
  /** The newest global position seen on the feed (for read-your-writes). */
  readonly position: number | undefined;
  /** Increments whenever something relevant was recorded: pages reload on it. */
  readonly version: number;
  readonly feed: readonly FeedItem[];
}

export const LiveContext = createContext<Live>({ client: null, connected: false, position: undefined, version: 0, feed: [] });
export const useLive = (): Live => useContext(LiveContext);

export const SessionContext = createContext<Session | null>(null);
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

export type Route =
  | { page: 'portfolio' }
  | { page: 'agenda' }
  | { page: 'live' }
  | { page: 'partnership'; id: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const m = /^\/partnerships\/([^/?#]+)/.exec(path);
  if (m?.[1]) return { page: 'partnership', id: decodeURIComponent(m[1]) };
  if (path.startsWith('/agenda')) return { page: 'agenda' };
  if (path.startsWith('/live')) return { page: 'live' };
  return { page: 'portfolio' };
}

export const hrefFor = (route: Route): string =>
  route.page === 'partnership' ? `#/partnerships/${encodeURIComponent(route.id)}` : route.page === 'portfolio' ? '#/' : `#/${route.page}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export interface QueryState<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  reload(): void;
}

/** Runs `run` whenever a dependency changes; keeps the previous data while reloading. */
export function useQuery<T>(run: () => Promise<T>, deps: readonly unknown[]): QueryState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const id = ++latest.current;
    setLoading(true);
    run().then(
      (d) => {
        if (id !== latest.current) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (id !== latest.current) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setLoading(false);
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}
