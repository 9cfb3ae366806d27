import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ledger, proposal } from './support/ledger';
import { type RunningService, startService, tempDataDir } from './support/service';

/**
 * The scale-out split on the embedded stores: the service with PROJECTIONS_IN_PROCESS=false and
 * `npm run projector` (its compiled entry point) as a process of its own on the same DATA_DIR.
 * Queries are answered from what the projector commits, read-your-writes waits for it, a stopped
 * projector makes such a query PROJECTION_LAGGING, and the service's /metrics shows where the
 * projector stands.
 */
const ROOT = resolve(__dirname, '../..');
const PROJECTOR = join(ROOT, 'dist/apps/cli/src/projector.js');

interface Projector {
  output(): string;
  stop(): Promise<number | null>;
}

async function startProjector(dataDir: string): Promise<Projector> {
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [PROJECTOR], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const deadline = Date.now() + 30_000;
  while (!output.includes('projector: running')) {
    if (child.exitCode !== null) throw new Error(`projector exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`projector did not start within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
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

    // Stopped, the projector commits what it applied and exits 0; nothing projects the next command.
    expect(await projector.stop()).toBe(0);
    expect(projector.output()).toContain('projector: stopped');
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
});
