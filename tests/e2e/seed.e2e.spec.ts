import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PersonalData, SqlitePersonalKeyStore } from '@ppl/privacy';
import { Ledger } from './support/ledger';
import { startService, tempDataDir } from './support/service';

const ROOT = resolve(__dirname, '../..');
const SEED = join(ROOT, 'dist/apps/cli/src/seed.js');

function seed(dataDir: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [SEED, ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

function events(dataDir: string): { stream_id: string; type: string; data: string }[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT stream_id, type, data FROM events ORDER BY position').all() as { stream_id: string; type: string; data: string }[];
  } finally {
    db.close();
  }
}

/** The first and last business times recorded (YYYY-MM-DD). */
function dated(dataDir: string): { from: string; to: string } {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    return db
      .prepare("SELECT substr(min(json_extract(metadata, '$.businessTime')), 1, 10) AS \"from\", substr(max(json_extract(metadata, '$.businessTime')), 1, 10) AS \"to\" FROM events")
      .get() as { from: string; to: string };
  } finally {
    db.close();
  }
}

const dayBefore = (date: Date): string => new Date(date.getTime() - 86_400_000).toISOString().slice(0, 10);

/**
 * Rows with their personal fields opened with the data dir's keys: each data dir seals with its
 * own keys and random IVs, so two runs compare equal only once opened.
 */
async function opened(dataDir: string, rows: { stream_id: string; type: string; data: string }[]): Promise<string[][]> {
  const keys = new SqlitePersonalKeyStore(join(dataDir, 'privacy', 'keys.sqlite'));
  const personal = new PersonalData(keys);
  try {
    return await Promise.all(rows.map(async (e) => [e.stream_id, e.type, JSON.stringify(await personal.revealDeep(JSON.parse(e.data)))]));
  } finally {
    await keys.close();
  }
}

describe('npm run seed: the demo portfolio', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = tempDataDir('ppl-seed-');
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('records a dozen partnerships over every phase, with the merger waiting for the board', () => {
    const dir = fresh();
    const run = seed(dir);
    expect(run.err).not.toContain('unexpected');
    expect(run.status).toBe(0);
    expect(run.out).toMatch(/\d+ commands recorded, 0 already there, 1 refused as intended/);
    const all = events(dir);
    const partnerships = new Set(all.filter((e) => e.type === 'PartnershipProposed').map((e) => e.stream_id));
    expect(partnerships.size).toBe(12);
    const phases = new Set(all.filter((e) => e.type === 'PhaseAdvanced' || e.type === 'PhasesSkipped').map((e) => (JSON.parse(e.data) as { to: string }).to));
    expect([...phases].sort()).toEqual(['AGREE', 'DESIGN', 'EXECUTE', 'SHARE']);
    expect(all.some((e) => e.type === 'PartnershipEnded')).toBe(true);
    const mergerEscalation = all.filter((e) => e.stream_id === 'partnership-p-shared-ict' && e.type === 'EscalationRaised').map((e) => JSON.parse(e.data) as { body: string; trigger: string });
    expect(mergerEscalation).toEqual(expect.arrayContaining([expect.objectContaining({ body: 'BOARD', trigger: 'LEGAL_FORM_CHANGED' })]));
    const kinds = new Set(all.filter((e) => e.type === 'InterestDeclared').map((e) => (JSON.parse(e.data) as { kind: string }).kind));
    expect([...kinds].sort()).toEqual(['COLLECTIVE', 'INDIVIDUAL', 'ORGANISATIONAL']);
    for (const type of ['DecisionRecorded', 'AssessmentRecorded', 'EvaluationRecorded', 'CapabilityAssessed', 'EscalationRuleSet']) {
      expect(all.some((e) => e.type === type)).toBe(true);
    }
  });

  it('dates the story to end yesterday, so the board sees what its histories imply today', () => {
    const dir = fresh();
    const before = new Date();
    const run = seed(dir);
    const after = new Date();
    expect(run.status).toBe(0);
    const { from, to } = dated(dir);
    expect([dayBefore(before), dayBefore(after)]).toContain(to);
    expect(run.out).toContain(`demo portfolio dated ${from} to ${to}`);
  });

  it('refuses an --ends-on that is not a past or present calendar day, recording nothing', () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    for (const bad of ['2026-02-30', 'last-friday', tomorrow]) {
      const dir = fresh();
      const run = seed(dir, '--ends-on', bad);
      expect(run.status).toBe(2);
      expect(run.err).toMatch(/^seed: /);
      expect(existsSync(join(dir, 'events.sqlite'))).toBe(false);
    }
  });

  it('records nothing twice when run again, and a run killed at any moment resumes to the same history', async () => {
    const clean = fresh();
    seed(clean, '--ends-on', '2026-06-30');
    const expected = events(clean);
    expect(dated(clean).to).toBe('2026-06-30');
    // Run again, even with another date: nothing is recorded, the ledger keeps its dates.
    const again = seed(clean, '--ends-on', '2026-05-01');
    expect(again.out).toMatch(/^0 commands recorded, \d+ already there/m);
    expect(again.out).toContain(`demo portfolio dated ${dated(clean).from} to 2026-06-30, as this ledger was first seeded`);
    expect(events(clean)).toHaveLength(expected.length);
    expect(dated(clean).to).toBe('2026-06-30');

    const crashed = fresh();
    const child = spawn(process.execPath, [SEED, '--ends-on', '2026-06-30'], { cwd: ROOT, env: { ...process.env, DATA_DIR: crashed }, stdio: 'ignore' });
    // Listened to at once: a run that ends before the kill must not leave the test waiting for ever.
    const exited = new Promise((r) => child.once('exit', r));
    // Killed part-way by count, not by time (a fast machine seeds the whole story in under a second).
    const killAt = 10 + Math.floor(Math.random() * (expected.length - 20));
    const stored = (): number => {
      try {
        return events(crashed).length;
      } catch {
        return 0; // not created yet
      }
    };
    while (child.exitCode === null && stored() < killAt) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await exited;
    expect(stored()).toBeLessThan(expected.length);
    const resumed = seed(crashed, '--ends-on', '2026-06-30');
    expect(resumed.status).toBe(0);
    expect(dated(crashed)).toEqual(dated(clean));
    const after = await opened(crashed, events(crashed));
    expect(after).toHaveLength(expected.length);
    // Per stream the same events in the same order (the global interleaving may differ).
    const byStream = (rows: string[][]) => rows.reduce<Record<string, string[]>>((m, [s, t, d]) => ({ ...m, [s as string]: [...(m[s as string] ?? []), `${t}${d}`] }), {});
    expect(byStream(after)).toEqual(byStream(await opened(clean, expected)));
  }, 120_000);

  it('can seed the data dir of a running service, which then works on the seeded partnerships', async () => {
    const dir = fresh();
    const service = await startService({ dataDir: dir });
    try {
      expect(seed(dir).status).toBe(0);
      const ledger = new Ledger(await service.client('MANAGER'));
      const result = await ledger.run('admitParty', {
        partnershipId: 'p-job-coaching',
        organisationId: 'org-caw-de-kempen',
        delegate: { personId: 'p-carla', name: 'Carla Mertens' },
      });
      expect(result.revision).toBeGreaterThan(2);
    } finally {
      await service.stop();
    }
  });
});
