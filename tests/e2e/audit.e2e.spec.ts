import Database from 'better-sqlite3';
import { cli } from './support/cli';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { partnershipAsOf } from '@ppl/audit';
import { SqliteEventStore, type RecordedEvent } from '@ppl/event-store';
import type { GraphQLClient } from './support/graphql-client';
import { Ledger, proposal } from './support/ledger';
import { type RunningService, startService, tempDataDir } from './support/service';

/**
 * The auditor's questions answered by the running service and the operator CLI, on the
 * embedded store: escalation compliance (with a breach planted straight into the store), time
 * travel against a fold of the stream, tamper evidence and a verifiable export.
 */
const day = (n: number) => new Date(Date.UTC(2025, 0, 6 + n, 9)).toISOString();
const P = 'p-audited';
const PLANTED = 'p-planted';

const ENTRY_FIELDS = `partnershipId escalationId trigger body level verdict reasons decidedBeforeChange
  raised { position } request { requestId position change { phase legalForm organisationId amount } } triggerEvent { type position authorisedBy }
  decision { decisionId outcome position conditions { conditionId met } } openConditions { conditionId }`;
const COMPLIANCE = `query($id: ID, $now: DateTime) { escalationCompliance(partnershipId: $id, now: $now) {
  partnershipId compliant totals { compliant conditionsOpen breach pending overdue } entries(first: 100) { totalCount nodes { ${ENTRY_FIELDS} } } } }`;
const AS_OF = `query($id: ID!, $asOf: DateTime, $atRevision: Int) { partnershipAsOf: partnership(id: $id, asOf: $asOf, atRevision: $atRevision) {
  id phase legalForm revision position asOf daysInPhase openEscalationCount overdueEscalationCount healthMin declining
  ambitionStrength { promise commitment doing strength } signals { code detail byDesign }
  interestCoverage { holds collective } parties { organisationId active } } }`;

interface Entry {
  escalationId: string | null;
  verdict: string;
  level: string | null;
  reasons: string[];
  decidedBeforeChange: boolean | null;
  triggerEvent: { type: string; position: number } | null;
  decision: { decisionId: string; position: number } | null;
}
interface Report {
  partnershipId: string | null;
  compliant: boolean;
  totals: Record<string, number>;
  entries: Entry[];
}


describe('auditing through GraphQL and the CLI', () => {
  let service: RunningService;
  let client: GraphQLClient;
  let ledger: Ledger;
  const dataDir = tempDataDir('ppl-audit-e2e-');
  const storeFile = join(dataDir, 'events.sqlite');
  const ids: Record<string, string> = {};
  const in_ = (extra: Record<string, unknown>) => ({ partnershipId: P, ...extra });

  async function compliance(id: string | null, now = day(30)): Promise<Report> {
    const res = await client.request<{ escalationCompliance: Omit<Report, 'entries'> & { entries: { totalCount: number; nodes: Entry[] } } }>(COMPLIANCE, { id, now });
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    const { entries, ...report } = res.data.escalationCompliance;
    expect(entries.totalCount).toBe(entries.nodes.length);
    return { ...report, entries: entries.nodes };
  }

  async function readStore(): Promise<RecordedEvent[]> {
    const store = new SqliteEventStore({ path: storeFile, durability: 'normal' });
    try {
      return await store.readAll();
    } finally {
      await store.close();
    }
  }

  const as: Record<'ADMIN' | 'BOARD' | 'EXECUTIVE', Record<string, string>> = { ADMIN: {}, BOARD: {}, EXECUTIVE: {} };
  beforeAll(async () => {
    // Snapshots every 3 events: time travel below runs through them on a short stream.
    service = await startService({ dataDir, env: { TIME_TRAVEL_SNAPSHOT_EVERY: '3' } });
    // The auditor reads; the managing delegate records; the board decides; the admin sets the rules.
    client = await service.client('AUDITOR', 'auditor-ines');
    ledger = new Ledger(await service.client('MANAGER', 'manager-anna'));
    as.BOARD = { authorization: `Bearer ${await service.token('BOARD', 'board-chair')}` };
    as.EXECUTIVE = { authorization: `Bearer ${await service.token('EXECUTIVE', 'exec-els')}` };
    as.ADMIN = { authorization: `Bearer ${await service.token('ADMIN', 'admin-jo')}` };
  });
  afterAll(async () => {
    if (process.env.AUDIT_E2E_LOGS) process.stderr.write(service.logs());
    await service.stop();
  });

  it('records a partnership up to a MANDATORY board approval (CONDITIONAL) and an EXPECTED escalation', async () => {
    const home = await ledger.run('registerOrganization', {
      name: 'Gemeente',
      kind: 'LOCAL_GOVERNMENT',
      isHome: true,
      departments: [{ name: 'Sociale dienst' }],
    });
    ids.home = home.mintedIds.organisationId as string;
    ids.department = home.mintedIds['departments.0.departmentId'] as string;
    await ledger.run('defineStrategy', {
      themes: [{ themeId: 'work', name: 'Work', criteria: [] }],
      nonNegotiableValues: ['client first'],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
    }, { headers: as.BOARD });
    await ledger.run('setEscalationRule', {
      rule: {
        ruleId: 'execute-needs-board',
        trigger: 'PHASE_ENTERED',
        params: { phase: 'EXECUTE' },
        body: 'BOARD',
        level: 'MANDATORY',
        deadlineDays: 14,
      },
    }, { headers: as.ADMIN });
    await ledger.run('setEscalationRule', {
      rule: {
        ruleId: 'scope-to-executive',
        trigger: 'SCOPE_CHANGED',
        body: 'EXECUTIVE',
        level: 'EXPECTED',
        deadlineDays: 7,
      },
    }, { headers: as.ADMIN });
    const propose = (partnershipId: string, businessTime: string) =>
      ledger.run(
        'proposePartnership',
        proposal({
          partnershipId,
          name: `Network ${partnershipId}`,
          themeId: 'work',
          owningDepartmentId: ids.department,
          description: 'Guidance to work together.',
          leadParty: { organisationId: ids.home, delegate: { personId: 'anna', name: 'Anna' } },
        }),
        { businessTime },
      );
    await propose(P, day(1));
    for (const [org, person] of [
      ['org-ocmw', 'olivia'],
      ['org-vdab', 'victor'],
    ]) {
      await ledger.run(
        'admitParty',
        in_({ organisationId: org, delegate: { personId: person, name: person } }),
        { businessTime: day(2) },
      );
    }
    await ledger.run('advancePhase', in_({ toPhase: 'SHARE' }), { businessTime: day(3) });
    for (const org of [ids.home, 'org-ocmw', 'org-vdab']) {
      for (const kind of ['ORGANISATIONAL', 'INDIVIDUAL'])
        await ledger.run(
          'declareInterest',
          in_({ organisationId: org, kind, description: `${kind} of ${org}` }),
          { businessTime: day(4) },
        );
    }
    await ledger.run(
      'declareInterest',
      in_({ organisationId: ids.home, kind: 'COLLECTIVE', description: 'one plan per job seeker' }),
      { businessTime: day(4) },
    );
    await ledger.run(
      'changeScope',
      in_({
        included: ['guidance'],
        excluded: ['income support'],
        horizon: '2027-12-31',
        servesClients: 'one contact point',
      }),
      { businessTime: day(5) },
    );
    const scope = await ledger.run(
      'changeScope',
      in_({
        included: ['guidance', 'coaching'],
        excluded: ['income support'],
        horizon: '2027-12-31',
      }),
      { businessTime: day(5) },
    );
    ids.scopeEscalation = scope.events.find((e) => e.type === 'EscalationRaised')?.data
      .escalationId as string;
    await ledger.run('advancePhase', in_({ toPhase: 'AGREE' }), { businessTime: day(6) });
    await ledger.run(
      'formulateAmbition',
      in_({
        statement: 'One plan, one coach.',
        goals: [
          { kind: 'QUANTITATIVE', description: 'placed', indicator: 'placements', target: 40 },
        ],
        noGoAreas: [],
      }),
      { businessTime: day(7) },
    );
    for (const org of [ids.home, 'org-ocmw', 'org-vdab']) {
      await ledger.run('endorseAmbition', in_({ organisationId: org }), { businessTime: day(7) });
      await ledger.run(
        'pledgeContribution',
        in_({
          organisationId: org,
          direction: 'BRING',
          kind: 'TIME',
          description: 'a coach',
          amount: 8,
        }),
        { businessTime: day(7) },
      );
    }
    await ledger.run('advancePhase', in_({ toPhase: 'DESIGN' }), { businessTime: day(8) });
    await ledger.run(
      'defineGovernance',
      in_({
        decisionRights: 'consensus',
        taskAllocation: 'OCMW coordinates',
        legalForm: 'COVENANT',
        exitArrangements: {
          howToLeave: 'notice',
          noticePeriod: '6 months',
          sharedAssets: 'host',
          data: 'returned',
          staff: 'return',
        },
      }),
      { businessTime: day(9) },
    );
    await ledger.run(
      'assignNetworkRole',
      in_({
        role: 'OPERATOR',
        person: { personId: 'olivia', name: 'Olivia' },
        organisationId: 'org-ocmw',
      }),
      { businessTime: day(9) },
    );
    const request = await ledger.run(
      'requestApproval',
      in_({ body: 'BOARD', trigger: 'PHASE_ENTERED', subject: 'start executing', change: { phase: 'EXECUTE' } }),
      { businessTime: day(10) },
    );
    ids.request = request.mintedIds.requestId as string;
    const decision = await ledger.run(
      'recordDecision',
      in_({
        body: 'BOARD',
        requestId: ids.request,
        outcome: 'CONDITIONAL',
        rationale: 'go, if the file is shared',
        conditions: [{ description: 'data-sharing agreement signed' }],
      }),
      { businessTime: day(11), headers: as.BOARD },
    );
    ids.decision = decision.mintedIds.decisionId as string;
    ids.condition = decision.mintedIds['conditions.0.conditionId'] as string;
    const advanced = await ledger.run(
      'advancePhase',
      in_({ toPhase: 'EXECUTE', approvals: [ids.decision] }),
      { businessTime: day(12) },
    );
    ids.executePosition = String(advanced.position);
  });

  it('escalationCompliance: the MANDATORY approval preceded the change (CONDITIONS_OPEN until met), the EXPECTED one pends then is overdue', async () => {
    let report = await compliance(P, day(13));
    const board = report.entries.find((e) => e.escalationId === `request:${ids.request}`);
    expect(board).toMatchObject({
      level: 'MANDATORY',
      verdict: 'CONDITIONS_OPEN',
      // What the board was asked to authorise: entering EXECUTE.
      request: { requestId: ids.request, change: { phase: 'EXECUTE', legalForm: null, organisationId: null, amount: null } },
      decidedBeforeChange: true,
      decision: { decisionId: ids.decision },
      triggerEvent: { type: 'PhaseAdvanced', position: Number(ids.executePosition) },
    });
    expect(report.entries.find((e) => e.escalationId === ids.scopeEscalation)).toMatchObject({
      level: 'EXPECTED',
      verdict: 'OVERDUE',
    });
    expect(
      (await compliance(P, day(6))).entries.find((e) => e.escalationId === ids.scopeEscalation)
        ?.verdict,
    ).toBe('PENDING');
    expect(report.compliant).toBe(true);

    await ledger.run(
      'markConditionMet',
      in_({ decisionId: ids.decision, conditionId: ids.condition }),
      { businessTime: day(14), headers: as.BOARD },
    );
    await ledger.run('acknowledgeEscalation', in_({ escalationId: ids.scopeEscalation }), {
      businessTime: day(14),
      headers: as.EXECUTIVE,
    });
    report = await compliance(P);
    expect(report.entries.map((e) => e.verdict)).toEqual(['COMPLIANT', 'COMPLIANT']);
    expect(report.totals).toEqual({
      compliant: 2,
      conditionsOpen: 0,
      breach: 0,
      pending: 0,
      overdue: 0,
    });
    const unknown = await client.request(COMPLIANCE, { id: 'nope' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('finds a breach planted straight into the store: a change citing a decision recorded after it', async () => {
    await ledger.run(
      'proposePartnership',
      proposal({
        partnershipId: PLANTED,
        name: 'Planted',
        themeId: 'work',
        owningDepartmentId: ids.department,
        description: 'x',
        leadParty: { organisationId: ids.home, delegate: { personId: 'anna', name: 'Anna' } },
      }),
      { businessTime: day(20) },
    );
    const request = await ledger.run(
      'requestApproval',
      { partnershipId: PLANTED, body: 'BOARD', trigger: 'PHASE_ENTERED', subject: 'execute', change: { phase: 'EXECUTE' } },
      { businessTime: day(20) },
    );
    // Behind the service's back, as someone with write access to the file would.
    const store = new SqliteEventStore({ path: storeFile, durability: 'normal' });
    const planted = await store.append(`partnership-${PLANTED}`, [
      {
        id: '00000000-0000-4000-8000-0000000000aa',
        type: 'PhaseAdvanced',
        schemaVersion: 1,
        data: { from: 'EXPLORE', to: 'EXECUTE', authorisedBy: ['dec-late'], at: day(21) },
        metadata: { actor: { id: 'intruder' }, businessTime: day(21) },
      },
    ]);
    await store.close();
    // The decision claims an earlier business time; its position is what counts.
    await ledger.run(
      'recordDecision',
      {
        partnershipId: PLANTED,
        decisionId: 'dec-late',
        body: 'BOARD',
        requestId: request.mintedIds.requestId,
        outcome: 'APPROVED',
        rationale: 'backdated',
      },
      { businessTime: day(19), headers: as.BOARD },
    );

    const report = await compliance(PLANTED);
    expect(report.compliant).toBe(false);
    const breach = report.entries.find((e) => e.verdict === 'BREACH');
    expect(breach).toMatchObject({
      level: 'MANDATORY',
      decidedBeforeChange: false,
      triggerEvent: { type: 'PhaseAdvanced', position: planted.position },
    });
    expect(breach?.reasons.join(' ')).toContain('after the change');
    const portfolio = await compliance(null);
    expect(portfolio).toMatchObject({ partnershipId: null, compliant: false });
    expect(portfolio.entries.filter((e) => e.verdict === 'BREACH')).toHaveLength(1);
    // The entries are a connection: only the breaches when asked, and one at a time in the same order.
    const page = async (args: string) =>
      (await client.data<{ escalationCompliance: { entries: { totalCount: number; nodes: Entry[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } }>(
        `{ escalationCompliance(now: "${day(30)}") { entries(${args}) { totalCount nodes { escalationId verdict triggerEvent { type position } } pageInfo { hasNextPage endCursor } } } }`,
      )).escalationCompliance.entries;
    const breaches = await page('verdict: [BREACH]');
    expect(breaches).toMatchObject({ totalCount: 1, nodes: [{ verdict: 'BREACH', triggerEvent: { position: planted.position } }], pageInfo: { hasNextPage: false } });
    const walked: Entry[] = [];
    for (let after: string | null = null, more = true; more; ) {
      const next = await page(`first: 1${after ? `, after: "${after}"` : ''}`);
      walked.push(...next.nodes);
      ({ hasNextPage: more, endCursor: after } = next.pageInfo);
    }
    expect(walked.map((e) => [e.escalationId, e.verdict])).toEqual(portfolio.entries.map((e) => [e.escalationId, e.verdict]));
    // The chain is intact: the store hashed the planted event itself. Compliance is what catches it.
    const integrity = await client.request<{ verifyIntegrity: { ok: boolean } }>(
      '{ verifyIntegrity { ok checked } }',
    );
    expect(integrity.data?.verifyIntegrity.ok).toBe(true);
  });

  it('time travel at every revision equals folding the stream to that revision, with or without snapshots; asOf cuts by recorded time', async () => {
    const all = await readStore();
    const stream = all.filter((e) => e.streamId === `partnership-${P}`);
    const strategy = all.filter((e) => e.streamId === 'strategy-home');
    expect(stream.length).toBeGreaterThan(6);
    // Newest first: the first answer folds the whole stream and leaves snapshots behind it, the
    // others start from them.
    for (const event of [...stream].reverse()) {
      const res = await client.request<{ partnershipAsOf: Record<string, unknown> }>(AS_OF, {
        id: P,
        atRevision: event.revision,
      });
      const expected = partnershipAsOf(stream, strategy, { atRevision: event.revision })?.view;
      expect(expected).toBeDefined();
      const got = res.data?.partnershipAsOf;
      expect(got).toMatchObject({
        revision: event.revision,
        position: event.position,
        phase: expected?.phase,
        asOf: expected?.asOf,
        openEscalationCount: expected?.openEscalationCount,
        ambitionStrength: expected?.ambitionStrength,
        signals: expected?.signals,
        parties: expected?.parties.map((p) => ({
          organisationId: p.organisationId,
          active: p.active,
        })),
      });
    }
    const execute = stream.find(
      (e) => e.type === 'PhaseAdvanced' && (e.data as { to: string }).to === 'EXECUTE',
    ) as RecordedEvent;
    const before = stream[execute.revision - 1] as RecordedEvent;
    const atDesign = await client.request<{ partnershipAsOf: { phase: string; revision: number } }>(
      AS_OF,
      { id: P, asOf: before.recordedAt },
    );
    expect(atDesign.data?.partnershipAsOf.revision).toBeLessThan(execute.revision);
    expect(atDesign.data?.partnershipAsOf.phase).toBe('DESIGN');
    const beforeAll = await client.request<{ partnershipAsOf: null }>(AS_OF, {
      id: P,
      asOf: '2000-01-01T00:00:00.000Z',
    });
    expect(beforeAll.data?.partnershipAsOf).toBeNull();
    const bad = await client.request(AS_OF, { id: P, atRevision: -1 });
    expect(bad.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    const metrics = await (
      await fetch(`${service.url}/metrics`, { headers: as.ADMIN })
    ).text();
    const snapshots = (outcome: string) =>
      Number(
        new RegExp(`ppl_time_travel_snapshots_total\\{outcome="${outcome}"\\} (\\d+)`).exec(metrics)?.[1] ??
          0,
      );
    expect(snapshots('used')).toBeGreaterThan(0);
    expect(snapshots('rejected')).toBe(0);
  });

  it('exports NDJSON and CSV with the CLI; the export verifies, a tampered one does not', async () => {
    const all = join(dataDir, 'all.ndjson');
    const exported = await cli(
      'audit-export',
      ['--all', '--format', 'ndjson', '--out', all],
      dataDir,
    );
    expect(exported).toMatchObject({ status: 0 });
    expect(await cli('audit-verify', ['--file', all], dataDir)).toMatchObject({
      status: 0,
      out: expect.stringContaining('OK'),
    });
    const one = join(dataDir, 'one.ndjson');
    expect(
      (await cli('audit-export', ['--partnership', P, '--format', 'ndjson', '--out', one], dataDir))
        .status,
    ).toBe(0);
    expect((await cli('audit-verify', ['--file', one], dataDir)).status).toBe(0);
    const csv = join(dataDir, 'one.csv');
    expect(
      (await cli('audit-export', ['--partnership', P, '--format', 'csv', '--out', csv], dataDir))
        .status,
    ).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toMatch(/^position,streamId,revision/);

    const lines = readFileSync(all, 'utf8').trimEnd().split('\n');
    const i = lines.findIndex((l) => l.includes('"DecisionRecorded"'));
    const forged = JSON.parse(lines[i] as string) as { data: Record<string, unknown> };
    lines[i] = JSON.stringify({ ...forged, data: { ...forged.data, outcome: 'APPROVED' } });
    writeFileSync(all, `${lines.join('\n')}\n`);
    const verdict = await cli('audit-verify', ['--file', all], dataDir);
    expect(verdict.status).toBe(1);
    expect(verdict.out).toContain(`line ${i + 1}`);
  });

  it('audit:export resumes an interrupted export after its last whole line, and refuses to resume one of another scope', async () => {
    const whole = join(dataDir, 'whole.ndjson');
    expect((await cli('audit-export', ['--all', '--out', whole], dataDir)).status).toBe(0);
    const lines = readFileSync(whole, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0] as string) as { exportedAt: string };
    // What Ctrl-C and then a crash mid-write leave: the header, three events, half a fourth line.
    const out = join(dataDir, 'resumed.ndjson');
    writeFileSync(`${out}.partial`, `${lines.slice(0, 4).join('\n')}\n${(lines[4] as string).slice(0, 40)}`);
    writeFileSync(`${out}.partial.json`, JSON.stringify({ scope: 'all', format: 'ndjson', chain: 'sqlite', exportedAt: header.exportedAt }));
    const other = await cli('audit-export', ['--partnership', P, '--out', out], dataDir);
    expect(other.status).toBe(2);
    expect(other.out).toContain('interrupted export of all');
    expect(existsSync(out)).toBe(false);
    const third = (JSON.parse(lines[3] as string) as { position: number }).position;
    const resumed = await cli('audit-export', ['--all', '--out', out], dataDir);
    expect(resumed).toMatchObject({ status: 0, out: expect.stringContaining(`resumed after position ${third}`) });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect((await cli('audit-verify', ['--file', out], dataDir)).status).toBe(0);
  });

  it('verifyIntegrity and audit:verify catch a row altered in the SQLite file', async () => {
    expect(await cli('audit-verify', [], dataDir)).toMatchObject({
      status: 0,
      out: expect.stringContaining('OK'),
    });
    const all = await readStore();
    const target = all.find((e) => e.type === 'DecisionRecorded') as RecordedEvent;
    const db = new Database(storeFile);
    db.prepare(
      `UPDATE events SET data = json_set(data, '$.outcome', 'APPROVED') WHERE position = ?`,
    ).run(target.position);
    db.close();
    const res = await client.request<{
      verifyIntegrity: {
        ok: boolean;
        firstBroken: { streamId: string; revision: number; position: number };
      };
    }>('{ verifyIntegrity { ok checked firstBroken { streamId revision position reason } } }');
    expect(res.data?.verifyIntegrity).toMatchObject({
      ok: false,
      firstBroken: {
        streamId: target.streamId,
        revision: target.revision,
        position: target.position,
      },
    });
    const verdict = await cli('audit-verify', [], dataDir);
    expect(verdict.status).toBe(1);
    expect(verdict.out).toContain(`position ${target.position}`);
  });
});
