import { Ledger, proposal } from './support/ledger';
import { type RunningService, startService, tempDataDir } from './support/service';

/**
 * PROJECTIONS_THREAD=true: the projections run on a worker thread of the service. What a caller
 * relies on stays: a query given the position a mutation returned sees that mutation; a position
 * the projections cannot reach in time is PROJECTION_LAGGING; a clean stop commits what was
 * applied, so the service restarted without the thread answers the same.
 */
const PORTFOLIO = `query($p: SafeInt) { portfolio(position: $p, filter: { partnerOrganizationId: "org-partner" }) { totalCount nodes { id name partyOrganisationIds } } }`;

describe('projections on a worker thread', () => {
  let service: RunningService | undefined;
  const dataDir = tempDataDir();

  afterAll(async () => {
    await service?.stop();
  });

  it('serve read-your-writes queries, and stop cleanly with everything committed', async () => {
    service = await startService({ dataDir, env: { PROJECTIONS_THREAD: 'true', READ_YOUR_WRITES_TIMEOUT_MS: '2000' } });
    const ledger = new Ledger(await service.client('MANAGER', 'thread'));
    const board = { authorization: `Bearer ${await service.token('BOARD', 'board-chair')}` };
    await ledger.run('registerOrganization', {
      organisationId: 'org-home',
      name: 'Home',
      kind: 'LOCAL_GOVERNMENT',
      isHome: true,
      departments: [{ departmentId: 'dep', name: 'Dep' }],
    });
    await ledger.run(
      'defineStrategy',
      { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' },
      { headers: board },
    );
    let position = -1;
    for (const id of ['p-a', 'p-b']) {
      await ledger.run('proposePartnership', proposal({
        partnershipId: id,
        name: `Partnership ${id}`,
        themeId: 'work',
        owningDepartmentId: 'dep',
        description: 'on a thread',
        quadrant: { relation: 'COOPERATIVE', resources: 'SIMILAR' },
        leadParty: { organisationId: 'org-home', delegate: { personId: 'a', name: 'A' } },
      }));
      const admitted = await ledger.run('admitParty', { partnershipId: id, organisationId: 'org-partner', delegate: { personId: 'b', name: 'B' } });
      position = admitted.position;
    }
    const reader = await service.client('BOARD', 'board-chair');
    const seen = await reader.data<{ portfolio: { totalCount: number; nodes: { id: string }[] } }>(PORTFOLIO, { p: position });
    expect(seen.portfolio.totalCount).toBe(2);
    expect(seen.portfolio.nodes.map((n) => n.id)).toEqual(['p-a', 'p-b']);

    const lagging = await reader.request(PORTFOLIO, { p: position + 1000 });
    expect(lagging.errors?.[0]?.extensions?.code).toBe('PROJECTION_LAGGING');

    await service.stop();
    // Stopped through its shutdown path: the thread was asked to stop, not found dead or killed.
    expect(service.logs()).not.toContain('projection thread');
    service = await startService({ dataDir, env: { PROJECTIONS_THREAD: 'false' } });
    const again = await (await service.client('BOARD', 'board-chair')).data<{ portfolio: { totalCount: number } }>(PORTFOLIO, { p: position });
    expect(again.portfolio.totalCount).toBe(2);
  });
});
