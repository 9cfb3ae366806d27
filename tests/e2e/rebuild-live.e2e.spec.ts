import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './support/cli';
import { Ledger, proposal } from './support/ledger';
import { withMemberships } from './support/memberships';
import { type RunningService, startService, tempDataDir } from './support/service';

/**
 * `npm run projections:rebuild` as an operator runs it: against the data of a service that is
 * running and recording commands. The rebuild (another process) replays into a fresh copy and
 * swaps it in; the service's own projections notice the swap, go on from the copy's checkpoint,
 * and the read model the service answers from ends equal to one built from scratch, with
 * every command recorded during the rebuild in it.
 */
const READ_MODEL = `query($p: SafeInt) {
  portfolio(first: 500, position: $p) { totalCount nodes { id name phase revision parties { organisationId active } openEscalationCount } }
  escalations(first: 500, position: $p) { totalCount nodes { escalationId partnershipId body level status } }
  organizations(first: 500, position: $p) { totalCount nodes { id } }
}`;

const proposed = (id: string) =>
  proposal({ partnershipId: id, name: `Netwerk ${id}`, owningDepartmentId: 'dep', leadParty: { organisationId: 'org-home', delegate: { personId: 'a', name: 'A' } } });

describe('projections:rebuild against a running service', () => {
  const dataDir = tempDataDir('ppl-rebuild-live-');
  const fresh = tempDataDir('ppl-rebuild-fresh-');
  let service: RunningService | undefined;

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(fresh, { recursive: true, force: true });
  });

  it('swaps a fresh copy in while commands are recorded; the service goes on from it and ends equal to a rebuild from scratch', async () => {
    service = await startService({ dataDir });
    const ledger = new Ledger(await service.client('MANAGER', 'manager-anna'));
    await ledger.run('registerOrganization', { organisationId: 'org-home', name: 'Gemeente', kind: 'LOCAL_GOVERNMENT', isHome: true, departments: [{ departmentId: 'dep', name: 'Dep' }] });
    await ledger.run(
      'defineStrategy',
      { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' },
      { headers: { authorization: `Bearer ${await service.token('BOARD')}` } },
    );
    for (let i = 0; i < 40; i++) {
      await ledger.run('proposePartnership', proposed(`p-before-${i}`));
      await ledger.run('admitParty', { partnershipId: `p-before-${i}`, organisationId: `org-partner-${i % 3}`, delegate: { personId: 'b', name: 'B' } });
    }

    // Commands go on all through the rebuild, and a little after it.
    let rebuilding = true;
    let last = 0;
    const recorded: string[] = [];
    const burst = (async () => {
      for (let i = 0; rebuilding || i < 5; i++) {
        const id = `p-during-${i}`;
        last = (await ledger.run('proposePartnership', proposed(id))).position;
        last = (await ledger.run('requestApproval', { partnershipId: id, body: 'STAFF', trigger: 'PARTY_ADMITTED', subject: 'tell staff', change: { organisationId: 'org-partner-1' } })).position;
        recorded.push(id);
      }
    })();
    const rebuilt = await cli('projections-rebuild', [], dataDir).finally(() => (rebuilding = false));
    await burst;
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.out).toMatch(/portfolio: generation \d+ swapped in at position \d+/);
    expect(rebuilt.out).toMatch(/organizations: generation \d+ swapped in at position \d+/);
    expect(recorded.length).toBeGreaterThanOrEqual(5);

    // The service answers with everything recorded, including what came during and after the swap.
    const auditor = await service.client('AUDITOR');
    const live = await withMemberships(auditor, READ_MODEL, last);
    const ids = new Set((live as { portfolio: { nodes: { id: string }[] } }).portfolio.nodes.map((n) => n.id));
    for (const id of recorded) expect(ids.has(id)).toBe(true);
    expect(ids.size).toBe(40 + recorded.length);
    await service.stop();
    service = undefined;

    // The same store projected from scratch by a service of its own gives the same answers.
    for (const file of ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm']) {
      if (existsSync(join(dataDir, file))) copyFileSync(join(dataDir, file), join(fresh, file));
    }
    const scratch = await startService({ dataDir: fresh });
    try {
      expect(await withMemberships(await scratch.client('AUDITOR'), READ_MODEL, last)).toEqual(live);
    } finally {
      await scratch.stop();
    }
  });
});
