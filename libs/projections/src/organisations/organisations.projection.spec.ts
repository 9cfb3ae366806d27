import { baseHistory, day, HOME, OCMW, propose } from '../testing/scenario';
import { project } from '../testing/project';
import { ORGANIZATIONS, organizationsProjection, type OrganizationDoc } from './organisations.projection';

describe('organizations projection', () => {
  it('Given two departments working with the same partner and a withdrawal, Then the partner lists both partnerships with their departments', async () => {
    const ledger = baseHistory();
    ledger.decide(propose('p2', { name: 'Economy with OCMW', owningDepartmentId: 'dept-economy' }), { at: day(3) });
    ledger.decide({ type: 'AdmitParty', partnershipId: 'p2', organisationId: OCMW, delegate: { personId: 'otto', name: 'Otto' } }, { at: day(4) });
    ledger.decide({ type: 'AdmitParty', partnershipId: 'p2', organisationId: 'org-unregistered', delegate: { personId: 'u', name: 'U' } }, { at: day(4) });
    ledger.decide({ type: 'WithdrawParty', partnershipId: 'p1', organisationId: OCMW, reason: 'budget' }, { at: day(5) });
    const p = await project(organizationsProjection, ledger.events);
    const ocmw = await p.get<OrganizationDoc>(ORGANIZATIONS, OCMW);
    expect(ocmw).toMatchObject({ registered: true, name: 'OCMW', partnershipIds: ['p1', 'p2'], activePartnershipIds: ['p2'] });
    expect(ocmw?.partnerships).toEqual([
      { partnershipId: 'p1', name: 'Partnership p1', owningDepartmentId: 'dept-social', active: false, since: day(1), until: day(5) },
      { partnershipId: 'p2', name: 'Economy with OCMW', owningDepartmentId: 'dept-economy', active: true, since: day(4), until: null },
    ]);
    expect(await p.get<OrganizationDoc>(ORGANIZATIONS, 'org-unregistered')).toMatchObject({ registered: false, name: null, partnershipIds: ['p2'] });
    const withP2 = await p.find<OrganizationDoc>(ORGANIZATIONS, { filter: { partnershipIds: { has: 'p2' } } });
    expect(withP2.items.map((o) => o.id)).toEqual([HOME, OCMW, 'org-unregistered']);
    await p.close();
  });
});
