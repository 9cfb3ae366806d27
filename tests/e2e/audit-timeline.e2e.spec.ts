import { cli } from './support/cli';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_TIMELINE, auditTimelineProjection, timelineDoc } from '@ppl/projections';
import { EmbeddedReadModelStore, put } from '@ppl/read-model';
import { Ledger } from './support/ledger';
import { startService, tempDataDir } from './support/service';


/**
 * On the embedded default (EVENT_STORE=sqlite) the event store answers the audit timeline itself:
 * the service runs no `auditTimeline` projection, drops the copy an earlier version left in the
 * read model, and the rebuild CLI refuses to rebuild it.
 */
describe('the audit timeline on the embedded event store', () => {
  it('the service runs no auditTimeline projection, drops an old copy at start, and answers auditTrail from the store', async () => {
    const dataDir = tempDataDir('ppl-timeline-e2e-');
    // A read model as an earlier version left it: with a copy of the audit timeline.
    const old = EmbeddedReadModelStore.open({ dataDir });
    await old.registerProjection(auditTimelineProjection);
    const planted = timelineDoc({ id: '00000000-0000-4000-8000-000000000001', position: 1, streamId: 'x-1', revision: 0, type: 'Planted', schemaVersion: 1, data: {}, metadata: {}, recordedAt: '2026-01-01T00:00:00.000Z' });
    await old.commit(auditTimelineProjection.name, [put(AUDIT_TIMELINE, planted.id, planted)], 1);
    await old.close();

    const service = await startService({ dataDir, env: { LOG_LEVEL: 'info' } });
    try {
      expect(service.logs()).toMatch(/dropping the read model's auditTimeline copy: the audit timeline is served by the event store itself/);
      const started = service.logs().split('\n').find((line) => line.includes('projections started'));
      expect(started).toBeDefined();
      expect(JSON.parse(started as string).projections).toEqual(['portfolio', 'organizations']);

      const ledger = new Ledger(await service.client('MANAGER', 'manager-anna'));
      const recorded = await ledger.run('registerOrganization', { organisationId: 'org-x', name: 'X', kind: 'NON_PROFIT', isHome: false, departments: [] });
      const trail = await (await service.client('AUDITOR')).data<{ auditTrail: { totalCount: number; nodes: { type: string; actorId: string; position: number }[] } }>(
        'query($p: SafeInt) { auditTrail(position: $p) { totalCount nodes { type actorId position } } }',
        { p: recorded.position },
      );
      // The planted copy is gone; the store's own event is there at once.
      expect(trail.auditTrail).toEqual({ totalCount: 1, nodes: [{ type: 'OrganizationRegistered', actorId: 'manager-anna', position: recorded.position }] });

      const admin = { authorization: `Bearer ${await service.token('ADMIN')}` };
      let metrics = '';
      for (let i = 0; i < 100 && !metrics.includes('ppl_projection_position{projection="portfolio"}'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        metrics = await (await fetch(`${service.url}/metrics`, { headers: admin })).text();
      }
      expect(metrics).toMatch(/ppl_projection_position\{projection="organizations"\}/);
      expect(metrics).not.toMatch(/projection="auditTimeline"/);
    } finally {
      await service.stop();
    }
    const after = EmbeddedReadModelStore.open({ dataDir });
    try {
      expect(await after.describe(auditTimelineProjection.name)).toEqual({ projection: 'auditTimeline' });
    } finally {
      await after.close();
    }
  });

  it('projections:rebuild --only auditTimeline is refused with the reason, and changes nothing', async () => {
    const dataDir = tempDataDir('ppl-timeline-cli-');
    const { status, out } = await cli('projections-rebuild', ['--only', 'portfolio,auditTimeline'], dataDir, { EVENT_STORE: 'sqlite' });
    expect(status).toBe(2);
    expect(out).toMatch(/auditTimeline is not a projection with the embedded event store \(EVENT_STORE=sqlite\): the audit timeline is served by the event store itself/);
    expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(false);
    expect(existsSync(join(dataDir, 'read-model.sqlite'))).toBe(false);
  });

  it('projections:rebuild refuses bad paging and commit options, naming each, and changes nothing', async () => {
    const dataDir = tempDataDir('ppl-rebuild-cli-');
    const { status, out } = await cli('projections-rebuild', ['--batch-size', '0', '--fold-limit', '1.5', '--commit-seconds', 'soon'], dataDir, { EVENT_STORE: 'sqlite' });
    expect(status).toBe(2);
    expect(out).toMatch(/--batch-size must be an integer from 1 to 100000/);
    expect(out).toMatch(/--fold-limit must be a positive integer/);
    expect(out).toMatch(/--commit-seconds must be a positive number/);
    expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(false);
    expect(existsSync(join(dataDir, 'read-model.sqlite'))).toBe(false);
  });
});

