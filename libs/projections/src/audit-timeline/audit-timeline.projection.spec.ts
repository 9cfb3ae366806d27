import { baseHistory } from '../testing/scenario';
import { project } from '../testing/project';
import { AUDIT_TIMELINE, auditTimelineProjection, type TimelineDoc } from './audit-timeline.projection';

describe('auditTimeline projection', () => {
  it('Given a history, Then one document per event in position order, searchable by stream, type and actor', async () => {
    const ledger = baseHistory();
    ledger.decide({ type: 'AdmitParty', partnershipId: 'p1', organisationId: 'org-union', delegate: { personId: 'u', name: 'U' } }, { at: '2025-02-01T00:00:00.000Z', actor: 'manager-2' });
    const p = await project(auditTimelineProjection, ledger.events);
    const all = await p.find<TimelineDoc>(AUDIT_TIMELINE, { sort: [{ field: 'position' }], first: 100 });
    expect(all.totalCount).toBe(ledger.events.length);
    expect(all.items.map((d) => d.position)).toEqual(ledger.events.map((e) => e.position));
    const byActor = await p.find<TimelineDoc>(AUDIT_TIMELINE, { filter: { actorId: 'manager-2' } });
    expect(byActor.items).toEqual([expect.objectContaining({ streamId: 'partnership-p1', type: 'PartyAdmitted', revision: 3, businessTime: '2025-02-01T00:00:00.000Z' })]);
    await p.close();
  });

  it('Given the same history applied in batches, Then the same documents as event by event', async () => {
    const ledger = baseHistory();
    const oneByOne = await project(auditTimelineProjection, ledger.events);
    const batched = await project(auditTimelineProjection, ledger.events, { groups: [3, 1, 2] });
    const all = (p: typeof batched) => p.find<TimelineDoc>(AUDIT_TIMELINE, { first: 100 });
    expect((await all(batched)).items).toEqual((await all(oneByOne)).items);
    expect((await all(batched)).totalCount).toBe(ledger.events.length);
    await oneByOne.close();
    await batched.close();
  });
});
