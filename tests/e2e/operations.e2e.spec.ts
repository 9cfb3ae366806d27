import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Ledger } from './support/ledger';
import { startService, tempDataDir } from './support/service';

const organisation = (i: number) => ({ organisationId: `org-${i}`, name: `Organisation ${i}`, kind: 'NON_PROFIT', isHome: false, departments: [] });

describe('operating the service', () => {
  it('counts commands by type and outcome in /metrics', async () => {
    const service = await startService();
    try {
      const ledger = new Ledger(await service.client('MANAGER'));
      await ledger.run('registerOrganization', organisation(1));
      await ledger.refused('registerOrganization', organisation(1));
      const admin = { authorization: `Bearer ${await service.token('ADMIN')}` };
      const text = await (await fetch(`${service.url}/metrics`, { headers: admin })).text();
      expect(text).toMatch(/ppl_commands_total\{type="RegisterOrganization",outcome="ok"\} 1/);
      expect(text).toMatch(/ppl_commands_total\{type="RegisterOrganization",outcome="ALREADY_EXISTS"\} 1/);
      expect(text).toMatch(/ppl_event_store_append_duration_seconds_count 1/);
      expect(text).toMatch(/ppl_event_store_position [1-9]/);
    } finally {
      await service.stop();
    }
  });

  it('on SIGTERM lets in-flight commands finish: every acknowledged command is in the store', async () => {
    const dataDir = tempDataDir();
    const service = await startService({ dataDir });
    const ledger = new Ledger(await service.client('MANAGER'));
    const inFlight = Array.from({ length: 60 }, (_, i) => ledger.attempt('registerOrganization', organisation(i)).catch(() => null));
    await new Promise((r) => setTimeout(r, 30));
    const stopped = service.stop();
    const outcomes = await Promise.all(inFlight);
    await stopped;
    const acknowledged = outcomes.filter((o) => o?.result).map((o) => o?.result?.streamId);
    expect(acknowledged.length).toBeGreaterThan(0);
    const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
    try {
      const streams = new Set((db.prepare('SELECT stream_id FROM events').all() as { stream_id: string }[]).map((r) => r.stream_id));
      for (const streamId of acknowledged) expect(streams.has(streamId as string)).toBe(true);
    } finally {
      db.close();
    }
  });
});
