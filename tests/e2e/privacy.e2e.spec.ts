import { cli } from './support/cli';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphQLClient } from './support/graphql-client';
import { Ledger, proposal } from './support/ledger';
import { type RunningService, startService, tempDataDir } from './support/service';

/**
 * Forgetting a person (crypto-shredding) end to end on the embedded default: after
 * forgetPerson(A), A's name and INDIVIDUAL interest texts are nowhere (queries, time travel,
 * history, subscription replay, the CLI export, the bytes of DATA_DIR, the logs), B still reads
 * in clear, and both hash chains (store and exported file) still verify.
 */
const day = (n: number) => new Date(Date.UTC(2025, 2, 3 + n, 9)).toISOString();

const A = { personId: 'person-annelies', name: 'Annelies Vermeersch-Quintijn' };
const B = { personId: 'person-bart', name: 'Bartholomeus Oyelaran' };
const C = { personId: 'person-chloe', name: 'Chloe Delacroix-Umbertsen' };
const A_CONVICTION = 'Annelies trusts zebra-crossing pedagogy above all';
const A_POSITION = 'quintijn stance on weekly coaching';
const A_REVISED = 'Annelies revised: marmalade mentoring works best';
const B_CONVICTION = 'Bartholomeus believes in walrus-paced onboarding';
/** Everything that must be gone once A is forgotten. */
const A_SECRETS = [A.name, A_CONVICTION, A_POSITION, A_REVISED];
const B_SECRETS = [B.name, B_CONVICTION];

const PARTY_FIELDS = `id name parties { organisationId delegate { personId name } } networkRoles { role person { personId name } } record { interests { interestId description position lossIfNoCollaboration } }`;
const EVENT_FIELDS = `id type revision position data`;


function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Replays the `events` feed from the beginning until `count` events arrived. */
async function replayEvents(service: RunningService, count: number): Promise<unknown[]> {
  const token = await service.token('AUDITOR', 'auditor-replay');
  const client = createClient({
    url: service.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const items: unknown[] = [];
  try {
    await new Promise<void>((done, fail) => {
      const stop = client.subscribe<{ events: { cursor: number; event: unknown } }>(
        { query: `subscription { events { cursor event { ${EVENT_FIELDS} } } }` },
        {
          next: (result) => {
            if (result.errors) return fail(new Error(JSON.stringify(result.errors)));
            if (result.data) items.push(result.data.events.event);
            if (items.length >= count) {
              stop();
              done();
            }
          },
          error: (error) => fail(error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: () => done(),
        },
      );
    });
  } finally {
    await client.dispose();
  }
  return items;
}

const text = (value: unknown) => JSON.stringify(value);
const expectNoneOf = (haystack: string, needles: readonly string[]) => {
  for (const needle of needles) expect(haystack).not.toContain(needle);
};
const expectAllOf = (haystack: string, needles: readonly string[]) => {
  for (const needle of needles) expect(haystack).toContain(needle);
};

describe('forgetting a person (crypto-shredding)', () => {
  let service: RunningService;
  let reader: GraphQLClient;
  let ledger: Ledger;
  let admin: Ledger;
  const dataDir = tempDataDir('ppl-privacy-e2e-');
  const exportDir = tempDataDir('ppl-privacy-export-');
  const ids: Record<string, string> = {};

  const readAll = async () => {
    const portfolio = await reader.data(`{ portfolio(first: 50) { nodes { ${PARTY_FIELDS} } } }`);
    const now = await reader.data(`query($id: ID!) { partnership(id: $id) { ${PARTY_FIELDS} } }`, { id: 'p-one' });
    // Time travel to the revision that declared A's interest (before it was revised).
    const asOf = await reader.data(`query($id: ID!, $r: Int) { partnership(id: $id, atRevision: $r) { ${PARTY_FIELDS} } }`, { id: 'p-one', r: Number(ids.declaredRevision) });
    const histories = await Promise.all(
      ['p-one', 'p-two'].map((id) => reader.data(`query($id: ID!) { partnershipHistory(id: $id, first: 100) { nodes { ${EVENT_FIELDS} } } }`, { id })),
    );
    const trail = await reader.data(`{ auditTrail(first: 200) { nodes { position eventId streamId type actorId event { id type revision data } } } }`);
    return { portfolio, now, asOf, histories, trail };
  };

  beforeAll(async () => {
    service = await startService({ dataDir });
    reader = await service.client('AUDITOR', 'auditor-ines');
    ledger = new Ledger(await service.client('MANAGER', 'manager-mo'));
    admin = new Ledger(await service.client('ADMIN', 'admin-jo'));
  });
  afterAll(async () => {
    if (process.env.PRIVACY_E2E_LOGS) process.stderr.write(service?.logs() ?? '');
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(exportDir, { recursive: true, force: true });
  });

  it('records two partnerships with delegates A and B, A with INDIVIDUAL interests, and reads them in clear', async () => {
    const home = await ledger.run('registerOrganization', { name: 'Gemeente', kind: 'LOCAL_GOVERNMENT', isHome: true, departments: [{ name: 'Werk' }] });
    ids.home = home.mintedIds.organisationId as string;
    ids.department = home.mintedIds['departments.0.departmentId'] as string;
    await admin.run('defineStrategy', { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: ['client first'], highestLegalFormWithoutBoardDecision: 'COVENANT' });
    const propose = (partnershipId: string, delegate: typeof A, businessTime: string) =>
      ledger.run(
        'proposePartnership',
        proposal({
          partnershipId,
          name: `Network ${partnershipId}`,
          themeId: 'work',
          owningDepartmentId: ids.department,
          description: 'Guidance to work together.',
          leadParty: { organisationId: ids.home, delegate },
        }),
        { businessTime },
      );
    const proposed = await propose('p-one', A, day(1));
    // The mutation's result already shows the name in clear to a reader allowed to see it.
    expect(text(proposed.events[0]?.data)).toContain(A.name);
    await ledger.run('admitParty', { partnershipId: 'p-one', organisationId: 'org-partner', delegate: B }, { businessTime: day(2) });
    await ledger.run('assignNetworkRole', { partnershipId: 'p-one', role: 'CHAMPION', person: A, organisationId: ids.home }, { businessTime: day(2) });
    const declared = await ledger.run(
      'declareInterest',
      { partnershipId: 'p-one', organisationId: ids.home, kind: 'INDIVIDUAL', description: A_CONVICTION, position: A_POSITION },
      { businessTime: day(2) },
    );
    ids.interestA = declared.mintedIds.interestId as string;
    ids.declaredRevision = String(declared.revision);
    await ledger.run('reviseInterest', { partnershipId: 'p-one', interestId: ids.interestA, description: A_REVISED }, { businessTime: day(5) });
    await ledger.run('declareInterest', { partnershipId: 'p-one', organisationId: 'org-partner', kind: 'INDIVIDUAL', description: B_CONVICTION }, { businessTime: day(2) });
    await ledger.run('declareInterest', { partnershipId: 'p-one', organisationId: ids.home, kind: 'ORGANISATIONAL', description: 'fewer drop-outs' }, { businessTime: day(2) });
    // p-two: B leads, A is admitted and then replaced by C (A appears as `previous`).
    await propose('p-two', B, day(1));
    await ledger.run('admitParty', { partnershipId: 'p-two', organisationId: 'org-other', delegate: A }, { businessTime: day(2) });
    await ledger.run('replaceDelegate', { partnershipId: 'p-two', organisationId: 'org-other', delegate: C, rationale: 'moved to another team' }, { businessTime: day(3) });

    const read = await readAll();
    const before = text(read);
    expectAllOf(before, [A.name, A_POSITION, A_REVISED, B.name, B_CONVICTION, C.name]);
    // The audit trail's entries carry their events, personal data opened for the auditor.
    expectAllOf(text(read.trail), [A.name, A_POSITION, B.name, B_CONVICTION]);
    // And so does what a partnership holds, now and as of a past moment (its INDIVIDUAL interests).
    expectAllOf(text(read.now), [A_REVISED, A_POSITION, B_CONVICTION]);
    expectAllOf(text(read.asOf), [A_CONVICTION, A_POSITION]);
  });

  it('a caller text that poses as sealed data is refused with VALIDATION_FAILED naming the field', async () => {
    const refusal = await ledger.refused('assignNetworkRole', {
      partnershipId: 'p-one',
      role: 'OPERATOR',
      person: { personId: 'x', name: 'ppl-sealed:1:forged.AAAA.BBBB' },
      organisationId: ids.home,
    });
    expect(refusal.extensions.code).toBe('VALIDATION_FAILED');
    expect(refusal.extensions.fields?.map((f) => f.path)).toContain('input.person.name');
  });

  it('a non-ADMIN may not forget anyone: FORBIDDEN, and A still reads in clear', async () => {
    for (const role of ['MANAGER', 'BOARD', 'AUDITOR'] as const) {
      const refusal = await new Ledger(await service.client(role)).refused('forgetPerson', { personId: A.personId, reason: 'erasure request' });
      expect(refusal.extensions.code).toBe('FORBIDDEN');
    }
    expectAllOf(text(await readAll()), [A.name, A_REVISED]);
  });

  it('forgetPerson(A) by an ADMIN records PersonForgotten; a retry with the same command id records nothing twice', async () => {
    const first = await admin.run('forgetPerson', { personId: A.personId, reason: 'erasure request of 2025-03-10' }, { commandId: 'forget-annelies' });
    expect(first.streamId).toBe(`person-${A.personId}`);
    expect(first.events.map((e) => e.type)).toEqual(['PersonForgotten']);
    const again = await admin.run('forgetPerson', { personId: A.personId, reason: 'erasure request of 2025-03-10' }, { commandId: 'forget-annelies' });
    expect(again.duplicate).toBe(true);
  });

  it('A’s name and INDIVIDUAL texts are gone from every query; B’s and C’s still read in clear; [redacted] in their place', async () => {
    const after = await readAll();
    const all = text(after);
    expectNoneOf(all, A_SECRETS);
    expectAllOf(all, [B.name, B_CONVICTION, C.name, 'fewer drop-outs', '[redacted]']);
    expectNoneOf(text(after.trail), A_SECRETS);
    expectNoneOf(text(after.now), A_SECRETS);
    expectNoneOf(text(after.asOf), A_SECRETS);
    expectAllOf(text(after.now), [B_CONVICTION]);
    expectAllOf(text(after.trail), [B.name, '[redacted]']);
    const lead = (after.now as { partnership: { parties: { delegate: { personId: string; name: string } }[] } }).partnership.parties[0];
    expect(lead?.delegate).toEqual({ personId: A.personId, name: '[redacted]' });
  });

  it('a fresh `events` subscription replay shows none of A’s data', async () => {
    const trail = (await reader.data<{ auditTrail: { totalCount: number } }>(`{ auditTrail(first: 1) { totalCount } }`)).auditTrail;
    const replayed = text(await replayEvents(service, trail.totalCount));
    expectNoneOf(replayed, A_SECRETS);
    expectAllOf(replayed, [B.name, 'PersonForgotten']);
  });

  it('verifyIntegrity still reports ok, and so does npm run audit:verify on the store', async () => {
    const report = await reader.data<{ verifyIntegrity: { ok: boolean; checked: number } }>(`{ verifyIntegrity { ok checked } }`);
    expect(report.verifyIntegrity.ok).toBe(true);
    expect(report.verifyIntegrity.checked).toBeGreaterThan(10);
    const verified = await cli('audit-verify', [], dataDir);
    expect(verified.status).toBe(0);
  });

  it('npm run audit:export: NDJSON verifies standalone and, like CSV, shows none of A’s data; B reads in clear', async () => {
    const ndjson = join(exportDir, 'all.ndjson');
    const csv = join(exportDir, 'all.csv');
    expect((await cli('audit-export', ['--all', '--out', ndjson], dataDir)).status).toBe(0);
    expect((await cli('audit-export', ['--all', '--format', 'csv', '--out', csv], dataDir)).status).toBe(0);
    for (const file of [ndjson, csv]) {
      const content = readFileSync(file, 'utf8');
      expectNoneOf(content, A_SECRETS);
      expectAllOf(content, [B.name, B_CONVICTION, '[redacted]']);
    }
    const lines = readFileSync(ndjson, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type?: string; data?: unknown; readableData?: unknown });
    const admitted = lines.find((l) => l.type === 'PartyAdmitted' && text(l.readableData).includes(B.name));
    // What the hash covers is the sealed value; the readable copy sits beside it.
    expect(text(admitted?.data)).not.toContain(B.name);
    expect(text(admitted?.data)).toContain('ppl-sealed:1:');
    const verified = await cli('audit-verify', ['--file', ndjson], dataDir);
    expect(verified.out).toContain('OK');
    expect(verified.status).toBe(0);
  });

  it('new data about A after forgetting is readable again (a new key); the old stays redacted', async () => {
    const assigned = await ledger.run('assignNetworkRole', { partnershipId: 'p-one', role: 'PROMOTER', person: { personId: A.personId, name: 'Annelies (returned)' }, organisationId: ids.home }, { businessTime: day(6) });
    // Read your write: the answer reflects at least the assignment's position.
    const now = text(await reader.data(`query($id: ID!, $at: SafeInt) { partnership(id: $id, position: $at) { ${PARTY_FIELDS} } }`, { id: 'p-one', at: assigned.position }));
    expect(now).toContain('Annelies (returned)');
    expectNoneOf(now, A_SECRETS);
  });

  it('after the service stopped: no byte of DATA_DIR holds A’s (or anyone’s) personal data in clear, nor do the logs', async () => {
    await service.stop();
    const files = filesUnder(dataDir);
    expect(files.some((f) => f.endsWith(join('privacy', 'keys.sqlite')))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of [...A_SECRETS, ...B_SECRETS, 'Annelies (returned)']) {
        if (bytes.includes(Buffer.from(secret, 'utf8'))) throw new Error(`${secret} found in ${file}`);
      }
    }
    expectNoneOf(service.logs(), A_SECRETS);
  });
});
