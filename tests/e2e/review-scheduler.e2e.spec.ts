import Database from 'better-sqlite3';
import { join } from 'node:path';
import { loadConfig } from '@ppl/config';
import { Ledger, proposal } from './support/ledger';
import { type RunningService, startService, tempDataDir } from './support/service';

/** A partnership in which nothing has happened for months. */
const sleeping = (name: string) => proposal({ name, owningDepartmentId: 'dept', leadParty: { organisationId: 'home', delegate: { personId: 'p', name: 'P' } } });
const longAgo = () => new Date(Date.now() - 200 * 86_400_000).toISOString();
const STRATEGY = { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' };

/** The STAGNATION escalations stored on the stream, read from the event store file itself. */
function stagnationOf(dataDir: string, streamId: string): unknown[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT type, data FROM events WHERE stream_id = ?').all(streamId) as { type: string; data: string }[];
    return rows.filter((r) => r.type === 'EscalationRaised' && (JSON.parse(r.data) as { trigger: string }).trigger === 'STAGNATION');
  } finally {
    db.close();
  }
}

async function waitFor(found: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!found() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

describe('the review scheduler (rule 8)', () => {
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it('sends reviewPartnership(now) on its interval, raising a due stagnation escalation once', async () => {
    service = await startService({ env: { REVIEW_INTERVAL_SECONDS: '1' } });
    const ledger = new Ledger(await service.client('MANAGER'));
    await ledger.run('defineStrategy', STRATEGY, { headers: { authorization: `Bearer ${await service.token('BOARD')}` } });
    const proposed = await ledger.run('proposePartnership', sleeping('Sleeping network'), { businessTime: longAgo() });
    const { dataDir } = service;
    await waitFor(() => stagnationOf(dataDir, proposed.streamId).length > 0);
    expect(stagnationOf(dataDir, proposed.streamId)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 2500)); // two more reviews
    expect(stagnationOf(dataDir, proposed.streamId)).toHaveLength(1);
  });

  it('by default reviews once as the service starts: what fell due while it was down is raised at once, not an interval later', async () => {
    // Recorded with the scheduler off (the suites' default), then stopped.
    const dataDir = tempDataDir();
    const before = await startService({ dataDir });
    const ledger = new Ledger(await before.client('MANAGER'));
    await ledger.run('defineStrategy', STRATEGY, { headers: { authorization: `Bearer ${await before.token('BOARD')}` } });
    const proposed = await ledger.run('proposePartnership', sleeping('Dormant network'), { businessTime: longAgo() });
    await before.stop();
    expect(stagnationOf(dataDir, proposed.streamId)).toHaveLength(0);
    // The configuration's default interval is an hour: within the wait, only the round at start raises it.
    const { REVIEW_INTERVAL_SECONDS } = loadConfig({});
    expect(REVIEW_INTERVAL_SECONDS).toBe(3600);
    service = await startService({ dataDir: dataDir, env: { REVIEW_INTERVAL_SECONDS: String(REVIEW_INTERVAL_SECONDS) } });
    await waitFor(() => stagnationOf(dataDir, proposed.streamId).length > 0);
    expect(stagnationOf(dataDir, proposed.streamId)).toHaveLength(1);
  });
});
