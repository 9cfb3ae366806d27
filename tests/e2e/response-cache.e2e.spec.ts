import { rmSync } from 'node:fs';
import { Ledger, proposal } from './support/ledger';
import { type RunningService, startService, tempDataDir } from './support/service';

/**
 * Whole-response cache of read-side queries, through the running service: a repeated query is
 * answered from the cache (the `age` header says so) with the answer it computed; a command
 * shows in the next query once projected, at once for a caller passing its position; a value of
 * the clock (days in phase) moves on at its boundary although nothing was recorded; callers of
 * another role never get an answer cached for a role that sees more; a forgotten person's name
 * leaves previously cached answers.
 */
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

const PAGE = `query($p: SafeInt) {
  portfolio(orderBy: [{ field: NAME, direction: ASC }], first: 50, position: $p) {
    totalCount nodes { id name phase daysInPhase parties { organisationId delegate { personId name } } }
  }
}`;

interface Node {
  id: string;
  name: string;
  daysInPhase: number;
  parties: { organisationId: string; delegate: { personId: string; name: string } }[];
}
interface Answer {
  status: number;
  /** Set when the answer came from the response cache (seconds since it was cached). */
  age: string | null;
  body: { data?: { portfolio?: { totalCount: number; nodes: Node[] } } & Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
}

describe('the response cache of read-side queries', () => {
  let service: RunningService;
  let manager: Ledger;
  let admin: Ledger;
  let tokens: Record<'BOARD' | 'INTEGRATOR' | 'ADMIN', string>;
  let home = '';
  let department = '';
  let position = 0;

  const ask = async (query: string, variables: Record<string, unknown> = {}, role: keyof typeof tokens = 'BOARD', headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[role]}`, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, age: res.headers.get('age'), body: (await res.json()) as Answer['body'] };
  };
  const page = (role: keyof typeof tokens = 'BOARD', variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    ask(PAGE, variables, role, headers);
  /** Waits (read your writes, never cached: it names a position) until the projections reached `at`. */
  const projected = async (at: number) => {
    const res = await ask('query($p: SafeInt) { portfolioSummary(position: $p) { partnerships } }', { p: at });
    expect(res.body.errors).toBeUndefined();
  };
  const node = (answer: Answer, id: string) => answer.body.data?.portfolio?.nodes.find((n) => n.id === id);
  const propose = async (partnershipId: string, name: string, delegate: { personId: string; name: string }, businessTime: string) => {
    const result = await manager.run(
      'proposePartnership',
      proposal({
        partnershipId,
        name,
        themeId: 'work',
        owningDepartmentId: department,
        description: `${name}: working together`,
        leadParty: { organisationId: home, delegate },
      }),
      { businessTime },
    );
    position = result.position;
    return result;
  };

  beforeAll(async () => {
    service = await startService({ env: { READ_YOUR_WRITES_TIMEOUT_MS: '5000' } });
    tokens = {
      BOARD: await service.token('BOARD', 'board-chair'),
      INTEGRATOR: await service.token('INTEGRATOR', 'warehouse'),
      ADMIN: await service.token('ADMIN', 'admin-ada'),
    };
    manager = new Ledger(await service.client('MANAGER', 'manager-anna'));
    admin = new Ledger(await service.client('ADMIN', 'admin-ada'));
    const org = await manager.run('registerOrganization', { name: 'Gemeente Lochristi', kind: 'LOCAL_GOVERNMENT', isHome: true, departments: [{ name: 'Sociale dienst' }] }, { businessTime: daysAgo(30) });
    home = org.mintedIds.organisationId ?? '';
    department = org.mintedIds['departments.0.departmentId'] ?? '';
    await admin.run(
      'defineStrategy',
      { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' },
      { businessTime: daysAgo(30) },
    );
    await propose('p-coaching', 'Coaching network', { personId: 'person-carla', name: 'Carla Mertens' }, daysAgo(12));
    await projected(position);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('answers a repeated query from the cache with the answer it computed, and counts the hit', async () => {
    const first = await page();
    expect(first.body.errors).toBeUndefined();
    expect(first.age).toBeNull();
    expect(node(first, 'p-coaching')).toMatchObject({ name: 'Coaching network', daysInPhase: 12 });
    const second = await page();
    expect(second.age).not.toBeNull();
    expect(second.body).toEqual(first.body);
    const metrics = await (await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${tokens.ADMIN}` } })).text();
    expect(metrics).toMatch(/ppl_response_cache_requests_total\{outcome="hit"\} [1-9]/);
    expect(metrics).toMatch(/ppl_response_cache_entries [1-9]/);
  });

  it('shows a recorded command in the next query once projected, never the answer cached before it', async () => {
    const before = await page();
    await page();
    expect(before.body.data?.portfolio?.totalCount).toBe(1);
    await propose('p-learning', 'Learning network', { personId: 'person-lien', name: 'Lien Peeters' }, daysAgo(5));
    await projected(position);
    const after = await page();
    expect(after.age).toBeNull();
    expect(after.body.data?.portfolio?.totalCount).toBe(2);
    expect(node(after, 'p-learning')).toMatchObject({ name: 'Learning network', daysInPhase: 5 });
  });

  it('gives a caller passing a position (argument or x-min-position) nothing older than it', async () => {
    await page();
    const cached = await page();
    expect(cached.age).not.toBeNull();
    const { position: written } = await propose('p-care', 'Care network', { personId: 'person-ines', name: 'Ines Claes' }, daysAgo(3));
    const byArgument = await page('BOARD', { p: written });
    expect(byArgument.body.errors).toBeUndefined();
    expect(node(byArgument, 'p-care')).toMatchObject({ name: 'Care network' });
    const { position: next } = await propose('p-housing', 'Housing network', { personId: 'person-jan', name: 'Jan Wouters' }, daysAgo(2));
    const byHeader = await page('BOARD', {}, { 'x-min-position': String(next) });
    expect(byHeader.body.errors).toBeUndefined();
    expect(node(byHeader, 'p-housing')).toMatchObject({ name: 'Housing network' });
  });

  it('moves a value of the clock on at its boundary although nothing was recorded (days in phase), also where a partnership is nested in an organisation', async () => {
    // Entered its phase a day ago less 8 s: 0 days in phase now, 1 day in 8 s.
    const enteredAt = Date.now() - DAY + 8_000;
    await propose('p-boundary', 'Boundary network', { personId: 'person-kim', name: 'Kim Janssens' }, new Date(enteredAt).toISOString());
    await projected(position);
    // The organisation's answer holds only as long as the partnerships nested in it.
    const ORGANIZATION = `query($id: ID!) { organization(id: $id) { partnerships(first: 50) { nodes { partnershipId partnership { daysInPhase } } } } }`;
    const nested = (answer: Answer) =>
      (answer.body.data?.organization as { partnerships: { nodes: { partnershipId: string; partnership: { daysInPhase: number } | null }[] } } | undefined)?.partnerships.nodes.find(
        (n) => n.partnershipId === 'p-boundary',
      )?.partnership?.daysInPhase;
    const before = await page();
    expect(node(before, 'p-boundary')?.daysInPhase).toBe(0);
    expect(nested(await ask(ORGANIZATION, { id: home }))).toBe(0);
    const cached = await page();
    expect(cached.age).not.toBeNull();
    expect(node(cached, 'p-boundary')?.daysInPhase).toBe(0);
    const cachedOrganization = await ask(ORGANIZATION, { id: home });
    expect([cachedOrganization.age !== null, nested(cachedOrganization)]).toEqual([true, 0]);
    await new Promise((r) => setTimeout(r, Math.max(0, enteredAt + DAY - Date.now()) + 50));
    const after = await page();
    expect(node(after, 'p-boundary')?.daysInPhase).toBe(1);
    expect(nested(await ask(ORGANIZATION, { id: home }))).toBe(1);
  });

  it('never serves one role the answer cached for another', async () => {
    const board = await page('BOARD');
    expect((await page('BOARD')).age).not.toBeNull();
    expect(node(board, 'p-coaching')?.parties[0]?.delegate.name).toBe('Carla Mertens');
    // INTEGRATOR systems do not read delegates' names: theirs is redacted, cached or not.
    for (let i = 0; i < 2; i++) {
      const integrator = await page('INTEGRATOR');
      expect(integrator.body.errors).toBeUndefined();
      expect(node(integrator, 'p-coaching')?.parties[0]?.delegate.name).toBe('[redacted]');
    }
    // A field the role may not read at all stays FORBIDDEN, however often another role asked it.
    const capability = '{ capability { at } }';
    await ask(capability, {}, 'BOARD');
    const boardAgain = await ask(capability, {}, 'BOARD');
    expect(boardAgain.body.errors).toBeUndefined();
    const refused = await ask(capability, {}, 'INTEGRATOR');
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.age).toBeNull();
  });

  it('drops a forgotten person’s name from a previously cached answer once PersonForgotten is projected', async () => {
    await page();
    const cached = await page();
    expect(cached.age).not.toBeNull();
    expect(node(cached, 'p-learning')?.parties[0]?.delegate.name).toBe('Lien Peeters');
    const forgotten = await admin.run('forgetPerson', { personId: 'person-lien', reason: 'erasure request' });
    const withPosition = await page('BOARD', { p: forgotten.position });
    expect(node(withPosition, 'p-learning')?.parties[0]?.delegate.name).toBe('[redacted]');
    await projected(forgotten.position);
    for (let i = 0; i < 2; i++) {
      const later = await page();
      expect(node(later, 'p-learning')?.parties[0]?.delegate.name).toBe('[redacted]');
      expect(JSON.stringify(later.body)).not.toContain('Lien Peeters');
      expect(node(later, 'p-coaching')?.parties[0]?.delegate.name).toBe('Carla Mertens');
    }
  });

  it('never caches an error, nor an operation with a field outside the cached read side', async () => {
    const bad = '{ portfolio(first: 501) { totalCount } }';
    expect((await ask(bad)).body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    const again = await ask(bad);
    expect(again.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(again.age).toBeNull();
    await ask('{ __typename }');
    expect((await ask('{ __typename }')).age).toBeNull();
    // The summary is stamped with the clock it was computed at: each answer is fresh.
    const summary = '{ portfolioSummary { partnerships at } }';
    const one = await ask(summary);
    const two = await ask(summary);
    expect(two.age).toBeNull();
    expect(two.body.data).toBeDefined();
    expect(one.body.data).toBeDefined();
  });
});

describe('the response cache when a person is forgotten while the read model stands still', () => {
  // The second service runs no projections (PROJECTIONS_IN_PROCESS=false, and no projector runs):
  // its read model, and so the read side's version, do not move when PersonForgotten is recorded.
  const dataDir = tempDataDir('ppl-cache-forget-');
  let service: RunningService | undefined;

  const ask = async (running: RunningService, token: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(running.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { age: res.headers.get('age'), body: (await res.json()) as Answer['body'] };
  };

  beforeAll(async () => {
    const recording = await startService({ dataDir });
    try {
      const manager = new Ledger(await recording.client('MANAGER', 'manager-anna'));
      const admin = new Ledger(await recording.client('ADMIN', 'admin-ada'));
      const org = await manager.run('registerOrganization', { name: 'Gemeente Lochristi', kind: 'LOCAL_GOVERNMENT', isHome: true, departments: [{ name: 'Sociale dienst' }] });
      await admin.run('defineStrategy', { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' });
      const proposed = await manager.run(
        'proposePartnership',
        proposal({
          partnershipId: 'p-still',
          owningDepartmentId: org.mintedIds['departments.0.departmentId'] ?? '',
          leadParty: { organisationId: org.mintedIds.organisationId ?? '', delegate: { personId: 'person-jan', name: 'Jan Janssens' } },
        }),
      );
      const seen = await ask(recording, await recording.token('BOARD', 'board-chair'), 'query($p: SafeInt) { portfolioSummary(position: $p) { partnerships } }', { p: proposed.position });
      expect(seen.body.errors).toBeUndefined();
    } finally {
      await recording.stop();
    }
    service = await startService({ dataDir, env: { PROJECTIONS_IN_PROCESS: 'false' } });
  });

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('never serves an answer opened before the forget, although the version has not moved', async () => {
    const running = service as RunningService;
    const board = await running.token('BOARD', 'board-chair');
    const delegate = (answer: { body: Answer['body'] }) => answer.body.data?.portfolio?.nodes.find((n) => n.id === 'p-still')?.parties[0]?.delegate.name;
    await ask(running, board, PAGE);
    const cached = await ask(running, board, PAGE);
    expect(cached.age).not.toBeNull();
    expect(delegate(cached)).toBe('Jan Janssens');
    await new Ledger(await running.client('ADMIN', 'admin-ada')).run('forgetPerson', { personId: 'person-jan', reason: 'erasure request' });
    const after = await ask(running, board, PAGE);
    expect(delegate(after)).toBe('[redacted]');
    expect(JSON.stringify(after.body)).not.toContain('Jan Janssens');
  });
});
