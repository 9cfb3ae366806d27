import { SignJWT, generateKeyPair } from 'jose';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ROLES, type Role, ensureEmbeddedKeys } from '@ppl/auth';
import { GraphQLClient } from './support/graphql-client';
import { Ledger, proposal } from './support/ledger';
import { type RunningService, startService } from './support/service';

/**
 * Who may do what, through the running service: authentication on HTTP and WebSocket, the role
 * matrix of the README ("Security") role by role over GraphQL (a refusal is FORBIDDEN and records
 * nothing), INTEGRATOR's redactions, and the GraphQL limits.
 */
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function head(service: RunningService): Promise<number> {
  const body = (await (await fetch(`${service.url}/health/ready`)).json()) as { info: { eventStore: { head: number } } };
  return body.info.eventStore.head;
}

const ORGANISATION = { name: 'Partner', kind: 'NON_PROFIT', isHome: false, departments: [] };
const PROPOSAL = proposal({
  partnershipId: 'p-secret',
  name: 'Confidential network',
  themeId: 'work',
  owningDepartmentId: 'dep',
  description: 'who sits at the table is personal',
  leadParty: { organisationId: 'org-home', delegate: { personId: 'anna', name: 'Anna Peeters' } },
});

describe('authentication', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    await service.stop();
  });

  it('refuses a request without a token, or with an expired, foreign, unsigned or wrong-audience one, as 401 UNAUTHENTICATED', async () => {
    const keys = await ensureEmbeddedKeys(service.dataDir);
    const stranger = await generateKeyPair('ES256');
    const claims = (signWith: Parameters<SignJWT['sign']>[0], iss = 'ppl-embedded', aud = 'partnership-ledger', exp: string | number = '1h') =>
      new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'ES256' }).setSubject('mallory').setIssuer(iss).setAudience(aud).setExpirationTime(exp).sign(signWith);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'mallory', role: 'ADMIN', iss: 'ppl-embedded', aud: 'partnership-ledger', exp: 9e9 })).toString('base64url')}.`;
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Basic YWRtaW46YWRtaW4=' },
      bearer('not.a.token'),
      bearer(none),
      bearer(await claims(stranger.privateKey)),
      bearer(await claims(keys.privateKey, 'someone-else')),
      bearer(await claims(keys.privateKey, 'ppl-embedded', 'another-api')),
      bearer(await claims(keys.privateKey, 'ppl-embedded', 'partnership-ledger', Math.floor(Date.now() / 1000) - 3600)),
    ];
    const before = await head(service);
    for (const headers of refused) {
      const res = await new GraphQLClient(service.graphqlUrl, headers).request(
        'mutation($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { position } }',
        { i: ORGANISATION },
      );
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(await head(service)).toBe(before);
  });

  it('keeps /metrics closed whatever the letter case of its path (Express routes without regard to case)', async () => {
    for (const path of ['/metrics', '/METRICS', '/Metrics', '/mEtRiCs/']) {
      expect({ path, status: (await fetch(`${service.url}${path}`)).status }).toEqual({ path, status: 401 });
    }
    const graphql = await fetch(`${service.url}/GraphQL?query=%7B__typename%7D`);
    expect(graphql.status).toBe(401);
  });

  it('leaves health, the board page and the development sign-in open', async () => {
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    const page = await fetch(`${service.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const signIn = await fetch(`${service.url}/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"role":"AUDITOR"}' });
    const { token } = (await signIn.json()) as { token: string };
    const client = new GraphQLClient(service.graphqlUrl, bearer(token));
    await expect(client.data('{ verifyIntegrity { ok } }')).resolves.toEqual({ verifyIntegrity: { ok: true } });
  });

  it('records the token’s subject, role and organisation as the actor, whatever x-actor headers say', async () => {
    const token = await service.token('MANAGER', 'manager-anna', { org: 'org-home' });
    const ledger = new Ledger(new GraphQLClient(service.graphqlUrl, { ...bearer(token), 'x-actor': 'someone-else', 'x-actor-role': 'ADMIN' }));
    const result = await ledger.run('registerOrganization', ORGANISATION);
    const res = await (await service.client('AUDITOR')).data<{ auditTrail: { nodes: { actorId: string; actorRole: string; actorOrganisationId: string }[] } }>(
      'query($s: String) { auditTrail(filter: { streamId: $s }) { nodes { actorId actorRole actorOrganisationId } } }',
      { s: result.streamId },
    );
    expect(res.auditTrail.nodes).toEqual([{ actorId: 'manager-anna', actorRole: 'MANAGER', actorOrganisationId: 'org-home' }]);
  });
});

describe('the role matrix, role by role over GraphQL', () => {
  let service: RunningService;
  const clients = {} as Record<Role, GraphQLClient>;
  beforeAll(async () => {
    service = await startService();
    for (const role of ROLES) clients[role] = await service.client(role, `${role.toLowerCase()}-1`);
  });
  afterAll(async () => {
    await service.stop();
  });

  const mutate = async (role: Role, mutation: string, input: Record<string, unknown>) => {
    const type = `${mutation[0]?.toUpperCase()}${mutation.slice(1)}Input`;
    const res = await clients[role].request(`mutation($i: ${type}!) { ${mutation}(input: $i) { position } }`, { i: input });
    return res.errors?.[0]?.extensions?.code ?? 'OK';
  };

  /** Each case: which roles may send it; an allowed role gets anything but FORBIDDEN (a domain answer). */
  const cases: { mutation: string; label?: string; input: (role: Role) => Record<string, unknown>; allowed: Role[] }[] = [
    { mutation: 'registerOrganization', input: (r) => ({ ...ORGANISATION, organisationId: `org-${r}` }), allowed: ['ADMIN', 'MANAGER'] },
    { mutation: 'defineStrategy', input: () => ({ themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' }), allowed: ['ADMIN', 'BOARD', 'EXECUTIVE'] },
    { mutation: 'setEscalationRule', input: (r) => ({ rule: { ruleId: `rule-${r}`, trigger: 'SCOPE_CHANGED', body: 'EXECUTIVE', level: 'EXPECTED', deadlineDays: 7 } }), allowed: ['ADMIN', 'BOARD', 'EXECUTIVE'] },
    // A rule addressed to the BOARD is the board's own: the executive is refused by the domain.
    { mutation: 'setEscalationRule', label: ' (to the BOARD)', input: (r) => ({ rule: { ruleId: `board-rule-${r}`, trigger: 'SCOPE_CHANGED', body: 'BOARD', level: 'MANDATORY', deadlineDays: 7 } }), allowed: ['ADMIN', 'BOARD'] },
    { mutation: 'removeEscalationRule', input: () => ({ ruleId: 'rule-none' }), allowed: ['ADMIN', 'BOARD', 'EXECUTIVE'] },
    { mutation: 'proposePartnership', input: (r) => ({ ...PROPOSAL, partnershipId: `p-${r}` }), allowed: ['MANAGER', 'EXECUTIVE'] },
    { mutation: 'recordDecision', input: () => ({ partnershipId: 'p-none', body: 'BOARD', outcome: 'APPROVED', rationale: 'r' }), allowed: ['BOARD'] },
    { mutation: 'recordDecision', input: () => ({ partnershipId: 'p-none', body: 'EXECUTIVE', outcome: 'APPROVED', rationale: 'r' }), allowed: ['EXECUTIVE'] },
    { mutation: 'recordDecision', input: () => ({ partnershipId: 'p-none', body: 'STAFF', outcome: 'NOTED', rationale: 'r' }), allowed: ['MANAGER', 'EXECUTIVE'] },
    { mutation: 'declareInterest', input: () => ({ partnershipId: 'p-none', organisationId: 'org-home', kind: 'INDIVIDUAL', description: 'd' }), allowed: ['MANAGER', 'EXECUTIVE'] },
    { mutation: 'acknowledgeEscalation', input: () => ({ partnershipId: 'p-none', escalationId: 'e-none' }), allowed: ['BOARD', 'EXECUTIVE', 'MANAGER'] },
  ];

  it.each(cases.map((c) => [`${c.mutation}${c.label ?? (c.mutation === 'recordDecision' ? ` (${String(c.input('ADMIN').body)})` : '')}`, c] as const))(
    '%s: FORBIDDEN for every role not in the matrix, recording nothing',
    async (_name, c) => {
      for (const role of ROLES) {
        const before = await head(service);
        const code = await mutate(role, c.mutation, c.input(role));
        if (c.allowed.includes(role)) {
          expect({ role, code }).toEqual({ role, code: expect.not.stringMatching(/^(FORBIDDEN|UNAUTHENTICATED)$/) });
        } else {
          expect({ role, code }).toEqual({ role, code: 'FORBIDDEN' });
          expect(await head(service)).toBe(before);
        }
      }
    },
  );

  it('lets AUDITOR and INTEGRATOR record nothing at all', async () => {
    for (const role of ['AUDITOR', 'INTEGRATOR'] as const) {
      expect(await mutate(role, 'registerOrganization', { ...ORGANISATION, organisationId: 'org-x' })).toBe('FORBIDDEN');
      expect(await mutate(role, 'proposePartnership', PROPOSAL)).toBe('FORBIDDEN');
    }
  });

  const reads: { query: string; allowed: Role[] }[] = [
    { query: '{ verifyIntegrity { ok } }', allowed: ['AUDITOR', 'ADMIN'] },
    { query: '{ escalationCompliance { totals { breach } } }', allowed: ['AUDITOR', 'BOARD', 'EXECUTIVE', 'ADMIN'] },
    { query: '{ auditTrail(first: 1) { totalCount } }', allowed: ['AUDITOR', 'BOARD', 'EXECUTIVE', 'ADMIN'] },
    { query: '{ partnershipHistory(id: "p-none", first: 1) { totalCount } }', allowed: ['AUDITOR', 'BOARD', 'EXECUTIVE', 'MANAGER', 'ADMIN'] },
    { query: '{ decisions(first: 1) { totalCount } }', allowed: ['AUDITOR', 'BOARD', 'EXECUTIVE', 'MANAGER', 'ADMIN'] },
    { query: '{ capability { at } }', allowed: ['AUDITOR', 'BOARD', 'EXECUTIVE', 'MANAGER', 'ADMIN'] },
    { query: '{ portfolio(first: 1) { totalCount } }', allowed: [...ROLES] },
    { query: '{ escalations(first: 1) { totalCount } }', allowed: [...ROLES] },
  ];

  it.each(reads.map((r) => [r.query, r] as const))('reads %s only as the matrix says', async (_q, r) => {
    for (const role of ROLES) {
      const res = await clients[role].request(r.query);
      const code = res.errors?.[0]?.extensions?.code ?? 'OK';
      if (r.allowed.includes(role)) expect({ role, code }).toEqual({ role, code: expect.not.stringMatching(/^(FORBIDDEN|UNAUTHENTICATED)$/) });
      else expect({ role, code }).toEqual({ role, code: 'FORBIDDEN' });
    }
  });
});

describe('personal data and INTEGRATOR', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService();
    const manager = new Ledger(await service.client('MANAGER', 'manager-anna'));
    const board = bearer(await service.token('BOARD'));
    await manager.run('registerOrganization', { organisationId: 'org-home', name: 'Home', kind: 'LOCAL_GOVERNMENT', isHome: true, departments: [{ departmentId: 'dep', name: 'Dep' }] });
    await manager.run('defineStrategy', { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' }, { headers: board });
    await manager.run('proposePartnership', PROPOSAL);
    await manager.run('declareInterest', { partnershipId: 'p-secret', organisationId: 'org-home', kind: 'INDIVIDUAL', description: 'my own conviction', position: 'my stance' });
    await manager.run('declareInterest', { partnershipId: 'p-secret', organisationId: 'org-home', kind: 'ORGANISATIONAL', description: 'continuity of the service' });
  });
  afterAll(async () => {
    await service.stop();
  });

  const ROW = '{ partnership(id: "p-secret") { parties { delegate { personId name } } } }';

  it('shows delegates’ names to the board and redacts them for INTEGRATOR (rows and time travel)', async () => {
    const board = await (await service.client('BOARD')).data<{ partnership: { parties: { delegate: { name: string } }[] } }>(ROW);
    expect(board.partnership.parties[0]?.delegate.name).toBe('Anna Peeters');
    const integrator = await service.client('INTEGRATOR');
    const row = await integrator.data<{ partnership: { parties: { delegate: { personId: string; name: string } }[] } }>(ROW);
    expect(row.partnership.parties[0]?.delegate).toEqual({ personId: 'anna', name: '[redacted]' });
    const past = await integrator.data<{ partnership: { parties: { delegate: { name: string } }[] } }>(
      '{ partnership(id: "p-secret", atRevision: 0) { parties { delegate { name } } } }',
    );
    expect(past.partnership.parties[0]?.delegate.name).toBe('[redacted]');
  });

  it('redacts delegates and INDIVIDUAL interest texts in the events an INTEGRATOR subscribes to, not ORGANISATIONAL ones', async () => {
    const events = await subscribeOnce(service, await service.token('INTEGRATOR'), 'subscription { events(filter: { streamPrefix: "partnership-", types: ["PartnershipProposed", "InterestDeclared"] }) { event { type data } } }', 3);
    const data = events.map((e) => (e as { events: { event: { type: string; data: Record<string, unknown> } } }).events.event);
    expect(data[0]).toMatchObject({ type: 'PartnershipProposed', data: { leadParty: { delegate: { personId: 'anna', name: '[redacted]' } } } });
    expect(data[1]).toMatchObject({ type: 'InterestDeclared', data: { kind: 'INDIVIDUAL', description: '[redacted]', position: '[redacted]' } });
    expect(data[2]).toMatchObject({ type: 'InterestDeclared', data: { kind: 'ORGANISATIONAL', description: 'continuity of the service' } });
    const auditor = await subscribeOnce(service, await service.token('AUDITOR'), 'subscription { events(filter: { streamPrefix: "partnership-", types: ["PartnershipProposed", "InterestDeclared"] }) { event { data } } }', 2);
    expect(JSON.stringify(auditor)).toContain('my own conviction');
  });

  it('keeps the capability assessment and decisions from INTEGRATOR where other types carry them too', async () => {
    const manager = new Ledger(await service.client('MANAGER', 'manager-anna'));
    const board = bearer(await service.token('BOARD'));
    await manager.run('assessCapability', {
      conditions: { STRATEGY_TRANSLATION: { maturity: 3 }, CULTURE_LEADERSHIP_STEERING: { maturity: 2 }, INTERNAL_ORGANISATION: { maturity: 2 }, SYSTEMS_TOOLS_SKILLS: { maturity: 1 } },
      notes: 'the board’s own view',
    }, { headers: board });
    const noted = await manager.run('recordDecision', { partnershipId: 'p-secret', body: 'BOARD', outcome: 'NOTED', rationale: 'between us' }, { headers: board });
    const NESTED = `{ portfolioSummary { capability { notes } } strategy { capabilityAssessments { notes } } partnership(id: "p-secret", position: ${noted.position}) { lastDecision { rationale } } }`;
    const seen = await (await service.client('BOARD')).data(NESTED);
    expect(seen).toEqual({
      portfolioSummary: { capability: { notes: 'the board’s own view' } },
      strategy: { capabilityAssessments: [{ notes: 'the board’s own view' }] },
      partnership: { lastDecision: { rationale: 'between us' } },
    });
    const integrator = await (await service.client('INTEGRATOR')).data(NESTED);
    expect(integrator).toEqual({ portfolioSummary: { capability: null }, strategy: { capabilityAssessments: [] }, partnership: { lastDecision: null } });
  });

  it('keeps partnershipHistory and the audit trail from INTEGRATOR', async () => {
    const integrator = await service.client('INTEGRATOR');
    const res = await integrator.request('{ partnershipHistory(id: "p-secret") { nodes { data } } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.data).toBeNull();
  });
});

describe('WebSocket: authentication, the same limits, caps per subject', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService({ env: { WS_MAX_CONNECTIONS_PER_SUBJECT: '2', WS_MAX_SUBSCRIPTIONS_PER_SUBJECT: '3', GRAPHQL_MAX_DEPTH: '4' } });
  });
  afterAll(async () => {
    await service.stop();
  });

  const wsUrl = () => service.graphqlUrl.replace(/^http/, 'ws');

  it('closes a connection whose connection_init carries no valid token with 4401', async () => {
    for (const params of [{}, { authorization: 'Bearer forged.token.here' }, { authorization: `Bearer ${await service.token('ADMIN', 'x', { ttl: '1s' })}x` }]) {
      const closed = await closeOf(wsUrl(), params);
      expect(closed.code).toBe(4401);
    }
  });

  it('refuses a third connection of one subject (4429) while another subject still connects', async () => {
    const token = await service.token('INTEGRATOR', 'integrator-capped');
    const open = [await openSocket(wsUrl(), token), await openSocket(wsUrl(), token)];
    expect((await closeOf(wsUrl(), bearer(token))).code).toBe(4429);
    const other = await openSocket(wsUrl(), await service.token('INTEGRATOR', 'integrator-other'));
    for (const s of [...open, other]) s.close();
  });

  it('applies the depth limit and the subscriptions-per-subject cap to subscriptions', async () => {
    const token = await service.token('INTEGRATOR', 'integrator-subs');
    const deep = await subscribeErrors(service, token, 'subscription { events { event { metadata { actor { id } } } } }');
    expect(deep[0]?.message).toMatch(/depth/i);
    const socket = await openSocket(wsUrl(), token);
    const replies: { id: string; type: string; payload?: { extensions?: { code?: string } }[] }[] = [];
    socket.on('message', (m: Buffer) => replies.push(JSON.parse(m.toString())));
    for (let i = 1; i <= 4; i++) {
      socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: 'subscription { events { cursor } }' } }));
    }
    const deadline = Date.now() + 10_000;
    while (!replies.some((r) => r.type === 'error') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const errors = replies.filter((r) => r.type === 'error');
    expect(errors.map((e) => [e.id, e.payload?.[0]?.extensions?.code])).toEqual([['4', 'TOO_MANY_SUBSCRIPTIONS']]);
    socket.close();
  });
});

describe('GraphQL hardening over HTTP', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService({ env: { RATE_LIMIT_REQUESTS: '20', RATE_LIMIT_WINDOW_SECONDS: '60', HTTP_BODY_LIMIT: '16kb', GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_ALIASES: '3' } });
  });
  afterAll(async () => {
    await service.stop();
  });

  it('refuses deep, alias-heavy, batched, oversized and misspelt requests with typed errors, without suggestions', async () => {
    const client = await service.client('BOARD', 'board-limits');
    const deep = await client.request('{ portfolio { nodes { parties { delegate { name } } } } }');
    expect(deep.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(deep.errors?.[0]?.message).toMatch(/depth/i);
    expect((await client.request('{ portfolio { totalCount } }')).errors).toBeUndefined();
    const aliases = await client.request('{ a: service { name } b: service { name } c: service { name } d: service { name } }');
    expect(aliases.errors?.[0]?.message).toMatch(/alias/i);
    const misspelt = await client.request('{ portfolo { totalCount } }');
    expect(misspelt.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(misspelt.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const authorization = bearer(await service.token('BOARD', 'board-limits')).authorization;
    const batch = await fetch(service.graphqlUrl, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) });
    expect(batch.status).toBe(400);
    const big = await fetch(service.graphqlUrl, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', variables: { x: 'x'.repeat(20_000) } }) });
    expect(big.status).toBe(413);
  });

  it('limits requests per subject: RATE_LIMITED with 429 and Retry-After, other subjects unaffected', async () => {
    const noisy = await service.client('INTEGRATOR', 'noisy');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await noisy.request('{ __typename }')).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
    const refused = await noisy.request('{ __typename }');
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await (await service.client('INTEGRATOR', 'quiet')).request('{ __typename }')).status).toBe(200);
  });
});

describe('in production', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService({ env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await service.stop();
  });

  it('turns introspection, the landing page and the development sign-in off', async () => {
    const client = await service.client('ADMIN');
    const introspection = await client.request('{ __schema { types { name } } }');
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const landing = await fetch(service.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(landing.status).toBe(401);
    const withToken = await fetch(service.graphqlUrl, { headers: { accept: 'text/html', ...bearer(await service.token('ADMIN')) } });
    expect(withToken.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    const signIn = await fetch(`${service.url}/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"role":"ADMIN"}' });
    expect(signIn.status).not.toBe(200);
  });
});

function openSocket(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: bearer(token) })));
    socket.once('message', (m: Buffer) => {
      const message = JSON.parse(m.toString()) as { type: string };
      if (message.type === 'connection_ack') resolve(socket);
      else reject(new Error(`unexpected ${m.toString()}`));
    });
    socket.once('close', (code) => reject(new Error(`closed ${code}`)));
    socket.once('error', reject);
  });
}

function closeOf(url: string, payload: Record<string, unknown>): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    socket.once('error', reject);
  });
}

/** The first `n` items of a subscription, then unsubscribes. */
async function subscribeOnce(service: RunningService, token: string, query: string, n: number): Promise<unknown[]> {
  const client = createClient({ url: service.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: bearer(token) });
  const items: unknown[] = [];
  try {
    for await (const result of client.iterate({ query })) {
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      items.push(result.data);
      if (items.length >= n) break;
    }
  } finally {
    await client.dispose();
  }
  return items;
}

async function subscribeErrors(service: RunningService, token: string, query: string): Promise<{ message: string }[]> {
  const client = createClient({ url: service.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: bearer(token) });
  try {
    for await (const result of client.iterate({ query })) if (result.errors) return [...result.errors];
    return [];
  } catch (error) {
    return Array.isArray(error) ? (error as { message: string }[]) : [{ message: String(error) }];
  } finally {
    await client.dispose();
  }
}
