import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { GraphQLClient } from './support/graphql-client';
import { type RunningService, startService, tempDataDir } from './support/service';

/**
 * After `npm run seed`, the board's questions — where is each partnership, which are at risk
 * and why, what waits for our decision, what did we decide — are answered exactly as the
 * seeded commands imply (apps/cli/src/seed/demo-portfolio.ts).
 */
const ROOT = resolve(__dirname, '../..');

describe('the seeded demo portfolio, as the board queries it', () => {
  let service: RunningService;
  let board: GraphQLClient;

  beforeAll(async () => {
    const dataDir = tempDataDir('ppl-seeded-');
    const seed = spawnSync(process.execPath, [join(ROOT, 'dist/apps/cli/src/seed.js')], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(seed.status).toBe(0);
    service = await startService({ dataDir });
    board = await service.client('BOARD', 'board-chair');
  });
  afterAll(async () => {
    await service.stop();
  });

  /** Waits until the projections have caught up with everything the seed recorded. */
  const query = async <T>(q: string, variables: Record<string, unknown> = {}): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const res = await board.request<T>(q, variables);
      if (!res.errors?.length && res.data) return res.data;
      if (attempt > 50 || res.errors?.[0]?.extensions?.code !== 'PROJECTION_LAGGING') throw new Error(JSON.stringify(res.errors));
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('shows every partnership in the phase its commands took it to', async () => {
    const head = await query<{ trail: { totalCount: number } }>('{ trail: auditTrail(first: 1) { totalCount } }');
    const data = await query<{ portfolio: { totalCount: number; nodes: { id: string; phase: string }[] } }>(
      'query($p: SafeInt) { portfolio(filter: { includeEnded: true }, first: 50, position: $p) { totalCount nodes { id phase } } }',
      { p: head.trail.totalCount },
    );
    expect(data.portfolio.totalCount).toBe(12);
    expect(Object.fromEntries(data.portfolio.nodes.map((n) => [n.id, n.phase]))).toEqual({
      'p-activation-network': 'EXECUTE',
      'p-house-of-the-child': 'DESIGN',
      'p-learning-network': 'AGREE',
      'p-shared-ict': 'DESIGN',
      'p-social-economy': 'SHARE',
      'p-job-coaching': 'EXPLORE',
      'p-first-line-care': 'SHARE',
      'p-digital-inclusion': 'AGREE',
      'p-neighbourhood': 'EXECUTE',
      'p-employment-2019': 'ENDED',
      'p-childcare-caw': 'EXPLORE',
      'p-joint-purchasing': 'EXECUTE',
    });
  });

  it('counts the portfolio by phase, the ended partnership in its own count', async () => {
    const data = await query<{ portfolioSummary: { partnerships: number; byPhase: { key: string; count: number }[] } }>(
      '{ portfolioSummary { partnerships byPhase { key count } } }',
    );
    const byPhase = Object.fromEntries(data.portfolioSummary.byPhase.filter((t) => t.count > 0).map((t) => [t.key, t.count]));
    expect(byPhase).toEqual({ EXPLORE: 2, SHARE: 2, AGREE: 2, DESIGN: 2, EXECUTE: 3, ENDED: 1 });
    expect(data.portfolioSummary.partnerships).toBe(12);
  });

  it('flags the sham-collaboration signals the seeded histories imply, and why', async () => {
    const data = await query<{ portfolio: { nodes: { id: string; signals: { code: string; byDesign: boolean | null }[] }[] } }>(
      '{ portfolio(filter: { includeEnded: true }, first: 50) { nodes { id signals { code byDesign } } } }',
    );
    const signals = Object.fromEntries(data.portfolio.nodes.map((n) => [n.id, n.signals]));
    const codes = (id: string) => (signals[id] ?? []).map((s) => s.code);
    expect(codes('p-digital-inclusion')).toContain('PHASES_SKIPPED'); // straight to AGREE
    expect(codes('p-childcare-caw')).toContain('SELF_SERVING'); // the only motive: collaborating
    expect(codes('p-first-line-care')).toContain('DIVERGENT_VIEWS'); // scores 4 against 2
    expect(signals['p-house-of-the-child']).toEqual(expect.arrayContaining([{ code: 'IMBALANCE', byDesign: true }])); // imposed
    expect(codes('p-activation-network')).not.toContain('PHASES_SKIPPED');
    expect(codes('p-house-of-the-child')).toContain('DECLINING_SUPPORT'); // Opgroeien: 4 → 2.6
  });

  it('is dated to end yesterday: the recent partnerships do not stagnate, the newest escalation is not overdue yet', async () => {
    const data = await query<{
      portfolio: { nodes: { id: string; signals: { code: string }[]; health: { health: number | null }[] }[] };
      escalations: { nodes: { partnershipId: string; trigger: string; overdue: boolean }[] };
    }>(
      `{ portfolio(first: 50) { nodes { id signals { code } health { health } } }
         escalations(status: OPEN, body: EXECUTIVE, first: 50) { nodes { partnershipId trigger overdue } } }`,
    );
    const byId = Object.fromEntries(data.portfolio.nodes.map((n) => [n.id, n]));
    for (const id of ['p-job-coaching', 'p-childcare-caw', 'p-activation-network'])
      expect(byId[id]?.signals.map((s) => s.code)).not.toContain('STAGNATION');
    expect(byId['p-neighbourhood']?.signals.map((s) => s.code)).toEqual(expect.arrayContaining(['STAGNATION', 'NO_DOING'])); // executing, then silence
    // The delegate replaced on the last day: its EXPECTED escalation has 14 days to go.
    expect(data.escalations.nodes).toEqual([{ partnershipId: 'p-activation-network', trigger: 'DELEGATE_REPLACED', overdue: false }]);
    // The heat map: every partnership past its first weeks has been assessed.
    const assessed = data.portfolio.nodes.filter((n) => n.health.some((h) => h.health !== null)).map((n) => n.id);
    expect(assessed.sort()).toEqual(
      ['p-activation-network', 'p-digital-inclusion', 'p-first-line-care', 'p-house-of-the-child', 'p-joint-purchasing', 'p-learning-network', 'p-shared-ict', 'p-social-economy'],
    );
  });

  it('puts the merger on the board’s agenda as a MANDATORY escalation, and the STOP evaluation beside it', async () => {
    const data = await query<{ escalations: { nodes: { partnershipId: string; trigger: string; level: string }[] } }>(
      '{ escalations(status: OPEN, body: BOARD, first: 50) { nodes { partnershipId trigger level } } }',
    );
    expect(data.escalations.nodes).toEqual(
      expect.arrayContaining([
        { partnershipId: 'p-shared-ict', trigger: 'LEGAL_FORM_CHANGED', level: 'MANDATORY' },
        { partnershipId: 'p-joint-purchasing', trigger: 'EVALUATION_STOP', level: 'EXPECTED' },
      ]),
    );
  });

  it('lists what the board decided: three approvals to start executing, one with a condition still open', async () => {
    const data = await query<{ decisions: { totalCount: number; nodes: { partnershipId: string; body: string; outcome: string; unmetConditions: number }[] } }>(
      '{ decisions(body: BOARD, first: 50) { totalCount nodes { partnershipId body outcome unmetConditions } } }',
    );
    expect(data.decisions.totalCount).toBe(3);
    expect(data.decisions.nodes).toEqual(
      expect.arrayContaining([
        { partnershipId: 'p-activation-network', body: 'BOARD', outcome: 'CONDITIONAL', unmetConditions: 1 },
        { partnershipId: 'p-neighbourhood', body: 'BOARD', outcome: 'APPROVED', unmetConditions: 0 },
        { partnershipId: 'p-joint-purchasing', body: 'BOARD', outcome: 'APPROVED', unmetConditions: 0 },
      ]),
    );
  });
});
