import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { SqliteEventStore, type RecordedEvent } from '@ppl/event-store';
import { Ledger, proposal } from './support/ledger';
import { type RunningService, startService, tempDataDir } from './support/service';

/**
 * Integrators' subscriptions through the running service with the real graphql-ws client:
 * every delivery is compared with the store's own global order (readAll on the service's SQLite
 * file), so a gap, a duplicate or a reordering at the catch-up/live switch or at a resume fails.
 */
const EVENTS = `subscription($after: SafeInt, $filter: EventStreamFilter) {
  events(after: $after, filter: $filter) { cursor event { id type streamId position revision } }
}`;

/** With the event's data: what makes a message as large as the event. */
const EVENTS_WITH_DATA = `subscription($after: SafeInt) {
  events(after: $after) { cursor event { id type streamId position revision data } }
}`;

interface Delivery {
  cursor: number;
  event: { id: string; type: string; streamId: string; position: number; revision: number };
}

/** One subscription on its own connection, recording what arrives and how it ends. */
class Subscriber {
  readonly items: Delivery[] = [];
  errors: unknown[] | undefined;
  closed: { code: number; reason: string } | undefined;
  completed = false;
  readonly sockets: WebSocket[] = [];
  private readonly client: Client;

  /** `target`: the service's /graphql URL and the bearer token sent in connection_init. */
  constructor(target: { url: string; token: string }, variables: Record<string, unknown>, query = EVENTS, field = 'events') {
    const url = target.url;
    const sockets = this.sockets;
    class RecordingWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols);
        sockets.push(this);
      }
    }
    this.client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: RecordingWebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: `Bearer ${target.token}` },
    });
    this.client.on('closed', (event) => {
      const e = event as { code: number; reason: string };
      this.closed = { code: e.code, reason: String(e.reason) };
    });
    this.client.subscribe<Record<string, Delivery>>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) this.errors = [...result.errors];
          const item = result.data?.[field];
          if (item) this.items.push(item);
        },
        error: (error) => {
          this.errors = Array.isArray(error) ? error : [error];
        },
        complete: () => {
          this.completed = true;
        },
      },
    );
  }

  get lastCursor(): number | undefined {
    return this.items.at(-1)?.cursor;
  }

  get ended(): boolean {
    return this.errors !== undefined || this.closed !== undefined || this.completed;
  }

  /** Waits until `done()` holds; fails at once if the subscription ended first. */
  async until(done: () => boolean, what: string): Promise<void> {
    while (!done()) {
      if (this.ended) {
        throw new Error(`subscription ended before ${what}: ${JSON.stringify({ errors: this.errors, closed: this.closed, completed: this.completed, items: this.items.length })}`);
      }
      await sleep(20);
    }
  }

  async reachedPosition(position: number): Promise<void> {
    await this.until(() => (this.lastCursor ?? 0) >= position, `position ${position}`);
  }

  /** Drops the connection abruptly, as a crashing client does. */
  terminate(): void {
    this.client.terminate();
  }

  async dispose(): Promise<void> {
    await this.client.dispose();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The store's global order, read from the service's SQLite file by a second store instance. */
async function storeOrder(dataDir: string, keep: (e: RecordedEvent) => boolean = () => true): Promise<[number, string][]> {
  const store = new SqliteEventStore({ path: join(dataDir, 'events.sqlite'), durability: 'normal' });
  try {
    const all: RecordedEvent[] = [];
    for (;;) {
      const page = await store.readAll({ after: all.at(-1)?.position ?? 0, maxCount: 1000 });
      if (page.length === 0) break;
      all.push(...page);
    }
    return all.filter(keep).map((e) => [e.position, e.id]);
  } finally {
    await store.close();
  }
}

const delivered = (items: readonly Delivery[]): [number, string][] => items.map((d) => [d.cursor, d.event.id]);

let orgCounter = 0;
function registerOrganisations(ledger: Ledger, count: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      ledger
        .run('registerOrganization', { name: `Partner ${++orgCounter}`, kind: 'NON_PROFIT', isHome: false, departments: [] })
        .then((r) => r.position),
    ),
  );
}

describe('subscriptions over graphql-ws', () => {
  const dataDir = tempDataDir();
  let service: RunningService;
  let ledger: Ledger;
  const subscribers: Subscriber[] = [];
  const subscribe = (variables: Record<string, unknown>): Subscriber => {
    const s = new Subscriber(integrator(), variables);
    subscribers.push(s);
    return s;
  };

  let integratorToken = '';
  let board: Record<string, string> = {};
  let admin: Record<string, string> = {};
  const integrator = () => ({ url: service.graphqlUrl, token: integratorToken });

  beforeAll(async () => {
    service = await startService({ dataDir });
    ledger = new Ledger(await service.client('MANAGER', 'integration-test'));
    integratorToken = await service.token('INTEGRATOR', 'integrator-1');
    board = { authorization: `Bearer ${await service.token('BOARD')}` };
    admin = { authorization: `Bearer ${await service.token('ADMIN')}` };
    await registerOrganisations(ledger, 30);
  });
  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.dispose().catch(() => undefined)));
    await service.stop();
  });

  it('catches up, then goes live while commands are written concurrently, in the store’s order with no gap or duplicate', async () => {
    const subscriber = subscribe({ after: null });
    // Writes race the catch-up: some land before the switch to live, some after.
    const positions = (await Promise.all([registerOrganisations(ledger, 25), sleep(5).then(() => registerOrganisations(ledger, 25))])).flat();
    const head = Math.max(...positions);
    await subscriber.reachedPosition(head);
    const expected = await storeOrder(dataDir);
    expect(expected.at(-1)?.[0]).toBe(head);
    expect(delivered(subscriber.items)).toEqual(expected);
    expect(subscriber.items.every((d) => d.cursor === d.event.position)).toBe(true);
  });

  it('partnershipChanged carries the portfolio row after each change, once the projection has it', async () => {
    await ledger.run('defineStrategy', {
      themes: [{ themeId: 'work', name: 'Work', criteria: [] }],
      nonNegotiableValues: [],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
    }, { headers: board });
    const proposed = await ledger.run('proposePartnership', proposal({
      name: 'Watched partnership',
      themeId: 'work',
      owningDepartmentId: 'dept',
      description: 'watched by an integrator',
      leadParty: { organisationId: 'home', delegate: { personId: 'p', name: 'P' } },
    }));
    const id = proposed.mintedIds.partnershipId as string;
    const query = `subscription($id: ID!, $after: SafeInt) {
      partnershipChanged(id: $id, after: $after) { cursor revision eventType partnership { id phase revision parties { organisationId } record { revision interests { interestId } } } }
    }`;
    const watcher = new Subscriber(integrator(), { id, after: proposed.position }, query, 'partnershipChanged');
    await ledger.run('admitParty', { partnershipId: id, organisationId: 'org-a', delegate: { personId: 'a', name: 'A' } });
    await ledger.run('advancePhase', { partnershipId: id, toPhase: 'SHARE' });
    const declared = await ledger.run('declareInterest', { partnershipId: id, organisationId: 'org-a', kind: 'ORGANISATIONAL', description: 'continuity' });
    await watcher.reachedPosition(declared.position);
    const changes = watcher.items as unknown as { revision: number; eventType: string; partnership: { phase: string; revision: number; parties: unknown[]; record: { revision: number; interests: unknown[] } } }[];
    expect(changes.map((c) => c.eventType)).toEqual(['PartyAdmitted', 'PhaseAdvanced', 'InterestDeclared']);
    // What it holds travels with each row, as of that row's own revision (one connection, three messages).
    expect(changes.map((c) => [c.partnership.record.revision, c.partnership.record.interests.length])).toEqual([
      [changes[0]?.revision, 0],
      [changes[1]?.revision, 0],
      [changes[2]?.revision, 1],
    ]);
    expect(changes[0]?.partnership).toMatchObject({ phase: 'EXPLORE', revision: changes[0]?.revision });
    expect(changes[0]?.partnership.parties).toHaveLength(2);
    expect(changes[1]?.partnership).toMatchObject({ phase: 'SHARE', revision: changes[1]?.revision });
    await watcher.dispose();
  });

  it('resumes exactly after the last cursor received when the client drops', async () => {
    const first = subscribe({ after: null });
    await first.until(() => first.items.length >= 10, '10 events');
    first.terminate();
    const cursor = first.lastCursor as number;
    const head = Math.max(...(await registerOrganisations(ledger, 10)));
    const resumed = subscribe({ after: cursor });
    await resumed.reachedPosition(head);
    expect(resumed.items[0]?.cursor).toBeGreaterThan(cursor);
    expect([...delivered(first.items), ...delivered(resumed.items)]).toEqual(await storeOrder(dataDir));
  });

  it('filters by stream id, stream prefix and types, in global order', async () => {
    await ledger.run('defineStrategy', {
      themes: [{ themeId: 'work', name: 'Work and activation', criteria: ['knows the local labour market'] }],
      nonNegotiableValues: ['client first'],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
    }, { headers: board });
    const last = await ledger.run('setEscalationRule', {
      rule: { ruleId: 'scope-to-executive', trigger: 'SCOPE_CHANGED', body: 'EXECUTIVE', level: 'EXPECTED', deadlineDays: 7 },
    }, { headers: admin });
    const all = await storeOrder(dataDir);
    const org = (await storeOrder(dataDir, (e) => e.streamId.startsWith('organisation-')))[3];
    const orgStream = (await storeOrderEvents(dataDir)).find((e) => e.position === org[0])?.streamId as string;
    const cases: { filter: Record<string, unknown>; keep: (e: RecordedEvent) => boolean }[] = [
      { filter: { streamId: 'strategy-home' }, keep: (e) => e.streamId === 'strategy-home' },
      { filter: { streamId: orgStream }, keep: (e) => e.streamId === orgStream },
      { filter: { streamPrefix: 'strategy-' }, keep: (e) => e.streamId.startsWith('strategy-') },
      { filter: { types: ['OrganizationRegistered'] }, keep: (e) => e.type === 'OrganizationRegistered' },
      {
        filter: { streamPrefix: 'strategy-', types: ['EscalationRuleSet', 'PhaseAdvanced'] },
        keep: (e) => e.streamId.startsWith('strategy-') && ['EscalationRuleSet', 'PhaseAdvanced'].includes(e.type),
      },
    ];
    for (const { filter, keep } of cases) {
      const expected = await storeOrder(dataDir, keep);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      const subscriber = subscribe({ after: null, filter });
      await subscriber.reachedPosition(expected.at(-1)?.[0] as number);
      expect({ filter, got: delivered(subscriber.items) }).toEqual({ filter, got: expected });
      await subscriber.dispose();
    }
    expect(last.position).toBe(all.at(-1)?.[0]);
  });

  it('refuses a negative cursor and queries over the socket', async () => {
    const negative = subscribe({ after: -1 });
    await waitUntil(() => negative.ended);
    expect(JSON.stringify(negative.errors)).toContain('VALIDATION_FAILED');
    const query = new Subscriber(integrator(), {}, '{ service { name } }', 'service');
    subscribers.push(query);
    await waitUntil(() => query.ended);
    expect(JSON.stringify(query.errors)).toContain('Only subscriptions are served over WebSocket');
  });

  it('counts subscriptions in the metrics', async () => {
    const live = subscribe({ after: null });
    await live.until(() => live.items.length > 0, 'a first event');
    const metrics = await (await fetch(`${service.url}/metrics`, { headers: admin })).text();
    const active = Number(/ppl_subscriptions_active\{operation="events"\} (\d+)/.exec(metrics)?.[1]);
    const started = Number(/ppl_subscriptions_started_total\{operation="events"\} (\d+)/.exec(metrics)?.[1]);
    const openSubscribers = subscribers.filter((s) => !s.ended && s.items.length > 0).length;
    expect(active).toBeGreaterThanOrEqual(1);
    expect(active).toBeLessThanOrEqual(openSubscribers);
    expect(started).toBeGreaterThanOrEqual(subscribers.length - 2);
    expect(metrics).toMatch(/ppl_ws_connections_active \d+/);
  });

  it('resumes after the service restarts on the same data directory', async () => {
    const before = subscribe({ after: null });
    await before.reachedPosition((await storeOrder(dataDir)).at(-1)?.[0] as number);
    await service.stop();
    await waitUntil(() => before.closed !== undefined);
    expect(before.closed?.code).toBe(1001);
    service = await startService({ dataDir });
    ledger = new Ledger(await service.client('MANAGER', 'integration-test'));
    const head = Math.max(...(await registerOrganisations(ledger, 5)));
    const after = subscribe({ after: before.lastCursor });
    await after.reachedPosition(head);
    expect([...delivered(before.items), ...delivered(after.items)]).toEqual(await storeOrder(dataDir));
  });
});

/**
 * A subscriber over a raw `ws` socket (graphql-transport-ws by hand), so that the test controls
 * when the client reads: `pause()` stops reading the socket (ws stops the TCP reads, and does not
 * resume them by itself), as a stuck consumer does.
 */
class RawSubscriber {
  readonly items: Delivery[] = [];
  closed: { code: number; reason: string } | undefined;
  private readonly socket: WebSocket;

  constructor(target: { url: string; token: string }, variables: Record<string, unknown>) {
    this.socket = new WebSocket(target.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    this.socket.on('open', () => this.send({ type: 'connection_init', payload: { authorization: `Bearer ${target.token}` } }));
    this.socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; payload?: { data?: { events?: Delivery } } };
      if (message.type === 'connection_ack') this.send({ id: '1', type: 'subscribe', payload: { query: EVENTS_WITH_DATA, variables } });
      const item = message.payload?.data?.events;
      if (message.type === 'next' && item) this.items.push(item);
    });
    this.socket.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  get lastCursor(): number | undefined {
    return this.items.at(-1)?.cursor;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  terminate(): void {
    this.socket.terminate();
  }

  private send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }
}

describe('a slow consumer', () => {
  let service: RunningService;
  const dataDir = tempDataDir();
  const subscribers: Subscriber[] = [];
  let integratorToken = '';
  let admin: Record<string, string> = {};
  const integrator = () => ({ url: service.graphqlUrl, token: integratorToken });
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${service.url}/metrics`, { headers: admin })).text();
    const value = new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1];
    if (value === undefined) throw new Error(`metric ${name} missing`);
    return Number(value);
  };

  beforeAll(async () => {
    service = await startService({
      dataDir,
      env: { SUBSCRIPTION_BUFFER: '20', SUBSCRIPTION_STALL_TIMEOUT_SECONDS: '1', WS_KEEPALIVE_SECONDS: '0' },
    });
    integratorToken = await service.token('INTEGRATOR', 'integrator-1');
    admin = { authorization: `Bearer ${await service.token('ADMIN')}` };
  });
  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.dispose().catch(() => undefined)));
    await service.stop();
  });

  it('is closed with 4008 and a cursor from which a resume gets exactly the rest, while a fast one gets everything and the service holds a bounded queue', async () => {
    // A writer in another process (this one): the service sees its appends by polling the file.
    const writer = new SqliteEventStore({ path: join(dataDir, 'events.sqlite'), durability: 'normal' });
    const padding = 'x'.repeat(64 * 1024);
    const BATCH = 40; // 2.5 MiB
    let appended = 0;
    const append = async (n: number) => {
      const events = Array.from({ length: n }, (_, k) => ({
        id: randomUUID(),
        type: 'LoadTestPadding',
        schemaVersion: 1,
        data: { n: appended + k, padding },
        metadata: {},
      }));
      appended += n;
      return (await writer.append(`loadtest-${randomUUID()}`, events)).position;
    };
    const slowClosed = async () => (await metric('ppl_ws_connections_closed_by_server_total{reason="slow_consumer"}').catch(() => 0)) >= 1;
    const slow = new RawSubscriber(integrator(), { after: null });
    try {
      await append(1);
      const fast = new Subscriber(integrator(), { after: null }, EVENTS_WITH_DATA);
      subscribers.push(fast);
      await fast.reachedPosition(1);
      await waitUntil(() => (slow.lastCursor ?? 0) >= 1);
      // The slow client stops reading its socket. The kernel's socket buffers absorb some MiB
      // first, so events (64 KiB messages) are written until they are full and the service finds
      // the slow subscription stalled; the fast one receives every batch meanwhile.
      slow.pause();
      let head = 1;
      for (let batch = 0; !(await slowClosed()); batch++) {
        if (batch === 40) throw new Error(`the paused subscriber was not closed after ${appended} events of 64 KiB`);
        head = await append(BATCH);
        await fast.reachedPosition(head);
      }
      await fast.reachedPosition(head);
      expect(fast.ended).toBe(false);
      // What the service still holds for the paused socket (its close frame waits behind it) is
      // bounded by one message beyond 1 MiB, whatever was written (several times that).
      const bound = 1.5 * 1024 * 1024;
      expect(appended * 64 * 1024).toBeGreaterThan(2 * bound);
      expect(await metric('ppl_ws_send_queue_bytes')).toBeLessThan(bound);
      expect(await metric('ppl_subscription_buffered_events')).toBe(0);
      slow.resume();
      await waitUntil(() => slow.closed !== undefined);
      expect(slow.closed?.code).toBe(4008);
      const cursor = Number(/^SLOW_CONSUMER cursor=(\d+)$/.exec(slow.closed?.reason ?? '')?.[1]);
      // Everything up to the cursor arrived before the close, nothing after it.
      expect(slow.lastCursor).toBe(cursor);
      expect(cursor).toBeLessThan(head);
      const resumed = new Subscriber(integrator(), { after: cursor }, EVENTS_WITH_DATA);
      subscribers.push(resumed);
      await resumed.reachedPosition(head);
      const expected = await storeOrder(dataDir);
      expect(delivered(fast.items)).toEqual(expected);
      expect([...delivered(slow.items), ...delivered(resumed.items)]).toEqual(expected);
      expect(await metric('ppl_subscriptions_slow_consumers_total{operation="events"}')).toBe(1);
    } finally {
      slow.terminate();
      await writer.close();
    }
  }, 180_000);
});

async function storeOrderEvents(dataDir: string): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore({ path: join(dataDir, 'events.sqlite'), durability: 'normal' });
  try {
    return await store.readAll({ maxCount: 100_000 });
  } finally {
    await store.close();
  }
}

async function waitUntil(done: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await done())) await sleep(25);
}

describe('a subscription does not outlive its token', () => {
  it('closes the socket with 4401 when the token it connected with expires', async () => {
    const service = await startService();
    try {
      await registerOrganisations(new Ledger(await service.client('MANAGER')), 1);
      const shortLived = new RawSubscriber({ url: service.graphqlUrl, token: await service.token('INTEGRATOR', 'brief-1', { ttl: '3s' }) }, { after: null });
      await waitUntil(() => shortLived.items.length > 0);
      expect(shortLived.closed).toBeUndefined();
      await waitUntil(() => shortLived.closed !== undefined);
      expect(shortLived.closed?.code).toBe(4401);
      expect(shortLived.closed?.reason).toContain('token expired');
    } finally {
      await service.stop();
    }
  }, 60_000);
});

describe('shutting down beside a client that does not answer', () => {
  it('SIGTERM cuts a socket that never answers the close frame after a short grace, instead of the 30 s ws would wait', async () => {
    const service = await startService({ env: { WS_KEEPALIVE_SECONDS: '0' } });
    await registerOrganisations(new Ledger(await service.client('MANAGER')), 1);
    const stuck = new RawSubscriber({ url: service.graphqlUrl, token: await service.token('INTEGRATOR', 'stuck-1') }, { after: null });
    try {
      // Subscribed: the event recorded before has come.
      await waitUntil(() => stuck.items.length > 0);
      // It stops reading: it will not see the close frame, nor answer it.
      stuck.pause();
      const started = Date.now();
      await service.stop();
      // Well within SHUTDOWN_TIMEOUT_MS (10 s): a supervisor's grace period is not used up by one peer.
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      stuck.terminate();
    }
  }, 60_000);
});
