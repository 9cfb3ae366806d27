import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ledger, proposal } from './support/ledger';
import { freePort, type RunningService, startService, tempDataDir } from './support/service';
import { until } from './support/until';

/**
 * The scale-out split on the embedded stores: the service with PROJECTIONS_IN_PROCESS=false and
 * `npm run projector` (its compiled entry point) as a process of its own on the same DATA_DIR.
 * Queries are answered from what the projector commits, read-your-writes waits for it, a stopped
 * projector makes such a query PROJECTION_LAGGING, and the service's /metrics shows where the
 * projector stands.
 */
const ROOT = resolve(__dirname, '../..');
const PROJECTOR = join(ROOT, 'dist/apps/api/src/projector/main.js');

interface Projector {
  /** Its health and /metrics (PROJECTOR_PORT). */
  readonly url: string;
  output(): string;
  stop(): Promise<number | null>;
}

/** The compiled `npm run projector`, started once its /health/ready answers 200. */
async function startProjector(dataDir: string): Promise<Projector> {
  let output = '';
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [PROJECTOR], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: dataDir, HOST: '127.0.0.1', PROJECTOR_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`projector exited with ${child.exitCode}:\n${output}`);
    const answer = await fetch(`${url}/health/ready`).catch(() => undefined);
    if (answer?.ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`projector not ready within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

type Readiness = { status: number; details: Record<string, { status: string; state?: string; position?: number; error?: string }> };

async function readiness(projector: Projector): Promise<Readiness> {
  const res = await fetch(`${projector.url}/health/ready`);
  return { status: res.status, details: ((await res.json()) as { details: Readiness['details'] }).details };
}

const ROWS = `query($p: SafeInt) { portfolio(position: $p, first: 10) { totalCount nodes { id name } } }`;

async function metric(service: RunningService, name: string, projection: string): Promise<number | undefined> {
  const text = await (await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${await service.token('ADMIN')}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{projection="${projection}"}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

/** Polls /metrics (published every second) until `accept` holds for the value, or 10 s pass. */
async function metricUntil(service: RunningService, name: string, projection: string, accept: (v: number) => boolean): Promise<number | undefined> {
  const deadline = Date.now() + 10_000;
  let value: number | undefined;
  for (;;) {
    value = await metric(service, name, projection);
    if ((value !== undefined && accept(value)) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the service beside a separate projector (PROJECTIONS_IN_PROCESS=false, npm run projector)', () => {
  const dataDir = tempDataDir('ppl-projector-');
  let service: RunningService | undefined;
  let projector: Projector | undefined;

  afterAll(async () => {
    await projector?.stop();
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers from what the projector commits, lags without it and catches up when it runs again', async () => {
    service = await startService({ dataDir, env: { PROJECTIONS_IN_PROCESS: 'false', READ_YOUR_WRITES_TIMEOUT_MS: '3000' } });
    projector = await startProjector(dataDir);
    const manager = new Ledger(await service.client('MANAGER', 'manager-anna'));
    const admin = new Ledger(await service.client('ADMIN', 'admin-ada'));
    const board = await service.client('BOARD', 'board-chair');
    const org = await manager.run('registerOrganization', { name: 'Gemeente Lochristi', kind: 'LOCAL_GOVERNMENT', isHome: true, departments: [{ name: 'Sociale dienst' }] });
    await admin.run('defineStrategy', { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' });
    const propose = (partnershipId: string, name: string) =>
      manager.run(
        'proposePartnership',
        proposal({
          partnershipId,
          name,
          owningDepartmentId: org.mintedIds['departments.0.departmentId'] ?? '',
          leadParty: { organisationId: org.mintedIds.organisationId ?? '', delegate: { personId: 'person-jan', name: 'Jan Janssens' } },
        }),
      );

    // The projector applies it; the service answers once the committed checkpoint has reached it.
    const first = await propose('p-one', 'Activeringsnetwerk');
    const seen = await board.data<{ portfolio: { totalCount: number; nodes: { id: string }[] } }>(ROWS, { p: first.position });
    expect(seen.portfolio.nodes.map((n) => n.id)).toEqual(['p-one']);
    expect(await metricUntil(service, 'ppl_projection_position', 'portfolio', (v) => v >= first.position)).toBeGreaterThanOrEqual(first.position);
    expect(await metricUntil(service, 'ppl_projection_lag_events', 'portfolio', (v) => v === 0)).toBe(0);

    // The projector's own health lists each projection; its /metrics, behind the service's rules
    // (an ADMIN token signed with the key of this DATA_DIR, or METRICS_TOKEN), has their states.
    const health = await readiness(projector);
    expect(health.status).toBe(200);
    expect(health.details.portfolio).toMatchObject({ status: 'up', state: 'LIVE' });
    expect(health.details.portfolio?.position).toBeGreaterThanOrEqual(first.position);
    expect(Object.keys(health.details).sort()).toEqual(['eventStore', 'organizations', 'portfolio']);
    expect((await fetch(`${projector.url}/metrics`)).status).toBe(401);
    // The gauges are published once a second, so the scrape may trail the health check by one round.
    const adminToken = await service.token('ADMIN');
    const metricsUrl = `${projector.url}/metrics`;
    const scrape = async (): Promise<string> => (await fetch(metricsUrl, { headers: { authorization: `Bearer ${adminToken}` } })).text();
    const live = 'ppl_projection_state{projection="portfolio",state="LIVE"} 1';
    const scraped = await until(scrape, (text) => text.includes(live), 'the projector to publish portfolio LIVE');
    expect(scraped).toContain(live);
    expect(scraped).toContain('ppl_projection_state{projection="portfolio",state="FAILED"} 0');

    // Stopped, the projector commits what it applied and exits 0; nothing projects the next command.
    expect(await projector.stop()).toBe(0);
    expect(projector.output()).toContain('"msg":"projector stopped"');
    const second = await propose('p-two', 'Lerend netwerk');
    const lagging = await board.request(ROWS, { p: second.position });
    expect(lagging.errors?.[0]?.extensions?.code).toBe('PROJECTION_LAGGING');
    expect(await metricUntil(service, 'ppl_projection_lag_events', 'portfolio', (v) => v > 0)).toBeGreaterThan(0);
    // Without a position, the service answers at once from what is committed.
    const stale = await board.data<{ portfolio: { totalCount: number } }>(ROWS);
    expect(stale.portfolio.totalCount).toBe(1);

    // Started again, it resumes from its checkpoint: the query with the position is answered.
    projector = await startProjector(dataDir);
    const caughtUp = await board.data<{ portfolio: { nodes: { id: string }[] } }>(ROWS, { p: second.position });
    expect(caughtUp.portfolio.nodes.map((n) => n.id).sort()).toEqual(['p-one', 'p-two']);
    expect(await metricUntil(service, 'ppl_projection_lag_events', 'portfolio', (v) => v === 0)).toBe(0);
    expect(await metricUntil(service, 'ppl_projection_position', 'organizations', (v) => v >= second.position)).toBeGreaterThanOrEqual(second.position);
  });

  it('is not ready while a projection waits out a read model another process holds locked, and ready again once it went on', async () => {
    const dir = tempDataDir('ppl-projector-locked-');
    const svc = await startService({ dataDir: dir, env: { PROJECTIONS_IN_PROCESS: 'false' } });
    const proj = await startProjector(dir);
    try {
      const ledger = new Ledger(await svc.client('MANAGER', 'manager-anna'));
      const register = (id: string) => ledger.run('registerOrganization', { organisationId: id, name: `Organisation ${id}`, kind: 'NON_PROFIT', isHome: false, departments: [] });
      await register('org-before');
      const intruder = new Database(join(dir, 'read-model.sqlite'));
      intruder.exec('BEGIN EXCLUSIVE');
      try {
        await register('org-during');
        // Its commit waits out the busy timeout (5 s), then the projection is RETRYING: not ready, with why.
        const waiting = await until(() => readiness(proj), (r) => r.status === 503, 'the projector not ready');
        expect(waiting.details.organizations).toMatchObject({ status: 'down', state: 'RETRYING' });
        expect(waiting.details.organizations?.error).toMatch(/read model/i);
        expect(waiting.details.eventStore).toMatchObject({ status: 'up' });
      } finally {
        intruder.exec('ROLLBACK');
        intruder.close();
      }
      const recovered = await until(() => readiness(proj), (r) => r.status === 200, 'the projector ready again');
      expect(recovered.details.organizations).toMatchObject({ status: 'up', state: 'LIVE' });
      const board = await svc.client('BOARD', 'board-chair');
      const seen = await board.data<{ organizations: { totalCount: number } }>('{ organizations(first: 10) { totalCount } }');
      expect(seen.organizations.totalCount).toBe(2);
    } finally {
      expect(await proj.stop()).toBe(0);
      await svc.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
