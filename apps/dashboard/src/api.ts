import { type Client, createClient } from 'graphql-ws';

/** Who is signed in: a bearer token, with the claims read from it (not verified here). */
export interface Session {
  readonly token: string;
  readonly role: string;
  readonly sub: string;
  readonly dev: boolean;
}

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly details: unknown,
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

const SESSION_KEY = 'ppl.session';

function base64UrlJson(part: string): Record<string, unknown> | null {
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const text = new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A session from a pasted token: null when it is not a JWT. */
export function sessionFromToken(token: string, dev = false): Session | null {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  const parts = trimmed.split('.');
  if (parts.length !== 3) return null;
  const claims = base64UrlJson(parts[1] ?? '');
  if (!claims) return null;
  const role = typeof claims.role === 'string' ? claims.role : 'UNKNOWN';
  const sub = typeof claims.sub === 'string' ? claims.sub : 'unknown';
  return { token: trimmed, role, sub, dev };
}

export function loadSession(): Session | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

/** Roles for the one-click development sign-in; null when the service does not offer it (production). */
export async function devSignInRoles(): Promise<string[] | null> {
  try {
    const res = await fetch('/dev/sign-in', { headers: { accept: 'application/json' } });
    if (!res.ok) return null;
    const body = (await res.json()) as { roles?: string[] };
    return body.roles ?? null;
  } catch {
    return null;
  }
}

export async function devSignIn(role: string): Promise<Session> {
  const res = await fetch('/dev/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role }),
  });
  if (!res.ok) throw new Error(`sign-in refused (${res.status})`);
  const body = (await res.json()) as { token: string; role: string; sub: string };
  return { token: body.token, role: body.role, sub: body.sub, dev: true };
}

function headersFor(session: Session | null): Record<string, string> {
  if (!session) return {};
  return { authorization: `Bearer ${session.token}` };
}

let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/** One GraphQL operation over HTTP POST to the service's own /graphql. */
export async function gql<T>(session: Session | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headersFor(session) },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new GraphQLRequestError(`HTTP ${res.status}`, res.status === 401 ? 'UNAUTHENTICATED' : undefined, null);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : undefined;
    if (code === 'UNAUTHENTICATED') onUnauthenticated?.();
    throw new GraphQLRequestError(first.message, code, first.extensions);
  }
  if (!body.data) throw new GraphQLRequestError(`HTTP ${res.status}`, undefined, null);
  return body.data;
}

/** The graphql-ws client for the subscriptions, on the same origin and path as the queries. */
export function liveClient(session: Session, onStatus: (connected: boolean) => void): Client {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  return createClient({
    url,
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    connectionParams: () => ({ authorization: `Bearer ${session.token}` }),
    on: {
      connected: () => onStatus(true),
      closed: () => onStatus(false),
    },
  });
}

export function subscribe<T>(client: Client, query: string, variables: Record<string, unknown>, next: (data: T) => void, error?: (e: unknown) => void): () => void {
  return client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.data) next(value.data as T);
      },
      error: (e) => error?.(e),
      complete: () => undefined,
    },
  );
}
