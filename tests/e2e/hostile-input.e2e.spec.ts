import fc from 'fast-check';
import { SignJWT, generateKeyPair } from 'jose';
import { ensureEmbeddedKeys } from '@ppl/auth';
import { Ledger } from './support/ledger';
import { type RunningService, startService } from './support/service';

/**
 * Hostile input, property-based (fast-check), against the running service: malformed,
 * oversized and adversarial requests — wrong types, huge strings, deep nesting, unknown enums,
 * injection-like strings, invalid cursors and ids, forged, expired and unsigned tokens. Every
 * answer is a 4xx or a GraphQL answer whose errors all carry a machine-readable code (never
 * INTERNAL_SERVER_ERROR), the service never crashes, and the event store is unchanged afterwards.
 *
 * Bounded by run counts (about 3,000 requests; ~30 s here). Failures print fast-check's seed and
 * the shrunk counterexample; rerun with FUZZ_SEED=<seed> to replay.
 */
const RUNS = { mutations: 700, queries: 700, raw: 700, tokens: 300, wellFormedCommands: 500 };
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** fast-check's parameters: the run count, the replay seed, and a report cut short (counterexamples hold 300 kB strings). */
function params(numRuns: number): fc.Parameters<unknown[]> {
  return {
    numRuns,
    seed,
    asyncReporter: async (details) => {
      if (!details.failed) return;
      const report = fc.defaultReportMessage(details) ?? 'property failed';
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      const cut = (text: string) => text.replace(/(.)\1{200,}/g, (run, ch: string) => `${ch}…(${run.length}×)`).slice(0, 4000);
      throw new Error(`${cut(report)}\n\nCause: ${cut(cause)}`);
    },
  };
}

const MUTATIONS = [
  'acknowledgeEscalation', 'admitParty', 'advancePhase', 'assessCapability', 'assignNetworkRole', 'changeScope',
  'declareInterest', 'defineGovernance', 'defineStrategy', 'endPartnership', 'endorseAmbition', 'flagValueAtRisk',
  'formulateAmbition', 'markConditionMet', 'pledgeContribution', 'proposePartnership', 'recordAssessment',
  'recordDecision', 'recordEvaluation', 'registerOrganization', 'removeEscalationRule', 'replaceDelegate',
  'reportContributionDelivered', 'reportGoalProgress', 'requestApproval', 'revertPhase', 'reviewPartnership',
  'reviseInterest', 'setEscalationRule', 'withdrawInterest', 'withdrawParty',
];

/** Strings an attacker tries: injection, traversal, control characters, huge, unicode oddities. */
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    "'; DROP TABLE events; --",
    '" OR 1=1 --',
    '<script>alert(1)</script>',
    '../../../../etc/passwd',
    '${jndi:ldap://x/a}',
    '{{7*7}}',
    '__proto__',
    'constructor',
    '\u0000\u0001\u0002',
    '\ud800',
    'partnership-',
    '%00',
    '-1',
    'NaN',
    '9'.repeat(400),
    '',
    ' ',
  ),
  fc.nat({ max: 300_000 }).map((n) => 'x'.repeat(n)),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 0, 2 ** 31, -(2 ** 31) - 1, 1e308),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom('partnershipId', 'body', 'kind', '__proto__', 'type')), tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** Deeply nested JSON, as text (JSON.stringify would recurse as deep). */
const deepJson = fc.integer({ min: 100, max: 20_000 }).map((n) => `{"query":"{ __typename }","variables":{"x":${'['.repeat(n)}${']'.repeat(n)}}}`);
const deepQuery = fc.integer({ min: 10, max: 3_000 }).map((n) => `{ ${'portfolio { nodes { '.repeat(Math.ceil(n / 2))}id${' } }'.repeat(Math.ceil(n / 2))} }`);

interface Answer {
  status: number;
  body: unknown;
}

describe('hostile input', () => {
  let service: RunningService;
  let manager = '';
  let sent = 0;
  let headBefore = -1;

  const post = async (body: string, headers: Record<string, string> = {}, contentType = 'application/json'): Promise<Answer> => {
    sent++;
    const res = await fetch(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${manager}`, ...headers },
      body,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: only acceptable for a 4xx
    }
    return { status: res.status, body: parsed };
  };

  /** The contract of every answer: no 5xx; a 4xx, or GraphQL errors that all carry a code (never INTERNAL_SERVER_ERROR). */
  const expectTyped = (answer: Answer) => {
    expect(answer.status).toBeLessThan(500);
    const errors = typeof answer.body === 'object' && answer.body !== null ? (answer.body as { errors?: { extensions?: { code?: unknown } }[] }).errors : undefined;
    for (const error of errors ?? []) {
      expect(typeof error.extensions?.code).toBe('string');
      expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
    if (answer.status >= 400) return;
    // 2xx: a GraphQL answer, data or typed errors.
    expect(errors !== undefined || (answer.body as { data?: unknown }).data !== undefined).toBe(true);
  };

  const head = async () =>
    ((await (await fetch(`${service.url}/health/ready`)).json()) as { info: { eventStore: { head: number } } }).info.eventStore.head;

  beforeAll(async () => {
    // Read-your-writes waits are bounded short: fuzzed positions beyond the head answer PROJECTION_LAGGING quickly.
    service = await startService({ env: { READ_YOUR_WRITES_TIMEOUT_MS: '20' } });
    manager = await service.token('MANAGER', 'fuzzer');
    // A small ledger to attack: the home organisation and the strategy (partnership ids fuzzed never exist).
    const ledger = new Ledger(await service.client('MANAGER', 'setup'));
    await ledger.run('registerOrganization', { organisationId: 'org-home', name: 'Home', kind: 'LOCAL_GOVERNMENT', isHome: true, departments: [{ departmentId: 'dep', name: 'Dep' }] });
    await ledger.run(
      'defineStrategy',
      { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' },
      { headers: { authorization: `Bearer ${await service.token('BOARD')}` } },
    );
    headBefore = await head();
  });
  afterAll(async () => {
    process.stdout.write(`hostile-input: ${sent} requests sent\n`);
    await service.stop();
  });

  it('mutations with arbitrary inputs (wrong types, unknown enums, huge and injection-like values) are refused with typed errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...MUTATIONS), hostileValue, fc.option(hostileValue), fc.option(hostileValue), async (mutation, input, commandId, expectedRevision) => {
        const type = `${mutation[0]?.toUpperCase()}${mutation.slice(1)}Input`;
        const query = `mutation($input: ${type}!, $commandId: ID, $expectedRevision: Int) { ${mutation}(input: $input, commandId: $commandId, expectedRevision: $expectedRevision) { position } }`;
        const answer = await post(JSON.stringify({ query, variables: { input, commandId, expectedRevision } }));
        expectTyped(answer);
        expect((answer.body as { data?: { [k: string]: unknown } | null })?.data?.[mutation] ?? null).toBeNull();
      }),
      params(RUNS.mutations),
    );
  });

  it('well-formed commands on partnerships that do not exist, with hostile ids and texts, record nothing', async () => {
    const id = hostileString.filter((s) => s.length < 10_000);
    const text = hostileString;
    const commands = fc.oneof(
      fc.record({ m: fc.constant('declareInterest'), input: fc.record({ partnershipId: id, organisationId: id, kind: fc.constantFrom('INDIVIDUAL', 'ORGANISATIONAL', 'COLLECTIVE'), description: text, position: fc.option(text) }) }),
      fc.record({ m: fc.constant('recordDecision'), input: fc.record({ partnershipId: id, body: fc.constantFrom('STAFF', 'STEERING_GROUP'), outcome: fc.constantFrom('APPROVED', 'NOTED'), rationale: text, requestId: fc.option(id) }) }),
      fc.record({ m: fc.constant('advancePhase'), input: fc.record({ partnershipId: id, toPhase: fc.constantFrom('SHARE', 'EXECUTE', 'ENDED', 'EXPLORE') }) }),
      fc.record({ m: fc.constant('admitParty'), input: fc.record({ partnershipId: id, organisationId: id, delegate: fc.record({ personId: id, name: text }) }) }),
      fc.record({ m: fc.constant('acknowledgeEscalation'), input: fc.record({ partnershipId: id, escalationId: id }) }),
      fc.record({ m: fc.constant('removeEscalationRule'), input: fc.record({ ruleId: id }) }),
    );
    const admin = await service.token('ADMIN', 'fuzzer-admin');
    await fc.assert(
      fc.asyncProperty(commands, fc.option(fc.integer({ min: -5, max: 5 })), async ({ m, input }, expectedRevision) => {
        if ((input as { partnershipId?: string }).partnershipId === 'p-none-exists') return;
        const type = `${m[0]?.toUpperCase()}${m.slice(1)}Input`;
        const query = `mutation($input: ${type}!, $r: Int) { ${m}(input: $input, expectedRevision: $r) { position } }`;
        const answer = await post(JSON.stringify({ query, variables: { input, r: expectedRevision } }), m === 'removeEscalationRule' ? { authorization: `Bearer ${admin}` } : {});
        expectTyped(answer);
        // Refused: a 4xx (e.g. 413 for a body over HTTP_BODY_LIMIT) or GraphQL errors.
        expect(answer.status >= 400 || ((answer.body as { errors?: unknown[] }).errors?.length ?? 0) > 0).toBe(true);
      }),
      params(RUNS.wellFormedCommands),
    );
  });

  it('queries with invalid cursors, ids, positions, filters and time-travel arguments answer typed errors or data', async () => {
    const queries = fc.oneof(
      fc.record({ q: fc.constant('query($a: String, $f: Int, $p: SafeInt) { portfolio(after: $a, first: $f, position: $p) { totalCount } }'), v: fc.record({ a: hostileValue, f: hostileValue, p: hostileValue }) }),
      fc.record({ q: fc.constant('query($id: ID!, $r: Int, $t: DateTime) { partnership(id: $id, atRevision: $r, asOf: $t) { name } }'), v: fc.record({ id: hostileValue, r: hostileValue, t: hostileValue }) }),
      fc.record({ q: fc.constant('query($id: ID!, $a: String) { partnershipHistory(id: $id, after: $a) { totalCount } }'), v: fc.record({ id: hostileValue, a: hostileValue }) }),
      fc.record({ q: fc.constant('query($f: PortfolioFilter, $o: [PortfolioOrder!]) { portfolio(filter: $f, orderBy: $o) { totalCount } }'), v: fc.record({ f: hostileValue, o: hostileValue }) }),
      fc.record({ q: fc.constant('query($s: EscalationStatus, $b: Body, $a: String) { escalations(status: $s, body: $b, after: $a) { totalCount } }'), v: fc.record({ s: hostileValue, b: hostileValue, a: hostileValue }) }),
      fc.record({ q: fc.constant('query($id: ID!) { organization(id: $id) { name } }'), v: fc.record({ id: hostileValue }) }),
      // A nested connection's arguments, on an organisation that exists (so they are read).
      fc.record({
        q: fc.constant('query($id: ID!, $act: Boolean, $f: Int, $a: String, $l: Int, $b: String) { organization(id: $id) { partnerships(active: $act, first: $f, after: $a, last: $l, before: $b) { totalCount nodes { partnership { name } } } } }'),
        v: fc.record({ id: fc.oneof(fc.constant('org-home'), hostileValue), act: hostileValue, f: hostileValue, a: hostileValue, l: hostileValue, b: hostileValue }),
      }),
      fc.record({ q: fc.constant('query($p: ID, $n: DateTime) { escalationCompliance(partnershipId: $p, now: $n) { totals { breach } } }'), v: fc.record({ p: hostileValue, n: hostileValue }) }),
    );
    const board = await service.token('BOARD', 'fuzzer-board');
    await fc.assert(
      fc.asyncProperty(queries, async ({ q, v }) => {
        expectTyped(await post(JSON.stringify({ query: q, variables: v }), { authorization: `Bearer ${board}` }));
      }),
      params(RUNS.queries),
    );
  });

  it('malformed, oversized and deeply nested requests are 4xx or typed errors', async () => {
    const raw = fc.oneof(
      fc.record({ body: fc.string({ maxLength: 2000 }), type: fc.constant('application/json') }),
      fc.record({ body: hostileValue.map((v) => JSON.stringify(v) ?? 'undefined'), type: fc.constant('application/json') }),
      fc.record({ body: deepJson, type: fc.constant('application/json') }),
      fc.record({ body: deepQuery.map((query) => JSON.stringify({ query })), type: fc.constant('application/json') }),
      fc.record({ body: fc.nat({ max: 600_000 }).map((n) => JSON.stringify({ query: `{ __typename } #${'x'.repeat(n)}` })), type: fc.constant('application/json') }),
      fc.record({ body: fc.integer({ min: 1, max: 200 }).map((n) => JSON.stringify({ query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: service { name }`).join(' ')} }` })), type: fc.constant('application/json') }),
      fc.record({ body: fc.integer({ min: 1, max: 100 }).map((n) => JSON.stringify({ query: `{ __typename ${'@include(if: true) '.repeat(n)}}` })), type: fc.constant('application/json') }),
      fc.record({ body: fc.array(fc.constant({ query: '{ __typename }' }), { minLength: 2, maxLength: 50 }).map((b) => JSON.stringify(b)), type: fc.constant('application/json') }),
      fc.record({ body: fc.string({ maxLength: 500 }), type: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/graphql', 'application/xml') }),
      fc.record({ body: hostileString.map((query) => JSON.stringify({ query })), type: fc.constant('application/json') }),
      fc.record({ body: hostileString.map((s) => JSON.stringify({ query: '{ __typename }', operationName: s, extensions: { persistedQuery: { version: 1, sha256Hash: s } } })), type: fc.constant('application/json') }),
    );
    await fc.assert(
      fc.asyncProperty(raw, async ({ body, type }) => {
        expectTyped(await post(body, {}, type));
      }),
      params(RUNS.raw),
    );
  });

  it('forged, expired, unsigned, mangled and foreign tokens are 401 UNAUTHENTICATED', async () => {
    const keys = await ensureEmbeddedKeys(service.dataDir);
    const stranger = await generateKeyPair('ES256');
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const valid = await service.token('ADMIN', 'real');
    const tokens = fc.oneof(
      hostileString.filter((s) => s.length < 20_000 && !/[\r\n\0]/.test(s) && /^[\x20-\x7e]*$/.test(s)),
      fc.record({ alg: fc.constantFrom('none', 'None', 'HS256', 'RS256', 'ES512'), role: fc.constantFrom('ADMIN', 'BOARD', 'KING') }).map(({ alg, role }) => `${b64({ alg, typ: 'JWT' })}.${b64({ sub: 'x', role, iss: 'ppl-embedded', aud: 'partnership-ledger', exp: 9e9 })}.`),
      // Signed by us or a stranger; expired (beyond the clock tolerance), or for another issuer or audience.
      fc.record({ iss: fc.constantFrom('ppl-embedded', 'evil'), aud: fc.constantFrom('partnership-ledger', 'other'), exp: fc.integer({ min: 1, max: Math.floor(Date.now() / 1000) - 120 }), own: fc.boolean() }),
      // The real token with one character inserted anywhere (a changed last character may decode to the same bits).
      fc.nat({ max: valid.length - 1 }).chain((i) => fc.constantFrom('A', 'B', '_', '-').map((ch) => `${valid.slice(0, i)}${ch}${valid.slice(i)}`)),
    );
    await fc.assert(
      fc.asyncProperty(tokens, async (t) => {
        let token: string;
        if (typeof t === 'string') token = t;
        else {
          const c = t as { iss: string; aud: string; exp: number; own: boolean };
          token = await new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'ES256' }).setSubject('x').setIssuer(c.iss).setAudience(c.aud).setExpirationTime(c.exp).sign(c.own ? keys.privateKey : stranger.privateKey);
        }
        if (token === valid) return;
        const answer = await post(JSON.stringify({ query: '{ __typename }' }), { authorization: `Bearer ${token}` });
        // Node itself answers 431 to a header over its 16 KiB limit, before the service sees it.
        if (answer.status === 431) return;
        expect(answer.status).toBe(401);
        expect((answer.body as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
      }),
      params(RUNS.tokens),
    );
  });

  it('leaves the service alive and the event store unchanged', async () => {
    expect(sent).toBeGreaterThan(2500);
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
    expect(await head()).toBe(headBefore);
    expect(service.logs()).not.toMatch(/unexpected error while answering GraphQL/);
  });
});
