import { baseHistory, day, HOME, OCMW, VDAB, propose } from '../testing/scenario';
import { project } from '../testing/project';
import {
  ORGANIZATIONS,
  ORGANIZATION_MEMBERSHIPS,
  organizationsProjection,
  type OrganizationDoc,
  type OrganizationPartnership,
} from './organisations.projection';

describe('organizations projection', () => {
  it('Given two departments working with the same partner and a withdrawal, Then the partner lists both partnerships with their departments', async () => {
    const ledger = baseHistory();
    ledger.decide(propose('p2', { name: 'Economy with OCMW', owningDepartmentId: 'dept-economy' }), { at: day(3) });
    ledger.decide({ type: 'AdmitParty', partnershipId: 'p2', organisationId: OCMW, delegate: { personId: 'otto', name: 'Otto' } }, { at: day(4) });
    ledger.decide({ type: 'AdmitParty', partnershipId: 'p2', organisationId: 'org-unregistered', delegate: { personId: 'u', name: 'U' } }, { at: day(4) });
    ledger.decide({ type: 'WithdrawParty', partnershipId: 'p1', organisationId: OCMW, reason: 'budget' }, { at: day(5) });
    const p = await project(organizationsProjection, ledger.events);
    expect(await p.get<OrganizationDoc>(ORGANIZATIONS, OCMW)).toMatchObject({ registered: true, name: 'OCMW' });
    const ocmw = await p.find<OrganizationPartnership>(ORGANIZATION_MEMBERSHIPS, { filter: { organisationId: OCMW }, sort: [{ field: 'since' }] });
    expect(ocmw.items.map(({ partnershipId, name, owningDepartmentId, active, since, until }) => ({ partnershipId, name, owningDepartmentId, active, since, until }))).toEqual([
      { partnershipId: 'p1', name: 'Partnership p1', owningDepartmentId: 'dept-social', active: false, since: day(1), until: day(5) },
      { partnershipId: 'p2', name: 'Economy with OCMW', owningDepartmentId: 'dept-economy', active: true, since: day(4), until: null },
    ]);
    expect(await p.get<OrganizationDoc>(ORGANIZATIONS, 'org-unregistered')).toMatchObject({ registered: false, name: null });
    const withP2 = await p.find<OrganizationPartnership>(ORGANIZATION_MEMBERSHIPS, { filter: { partnershipId: 'p2' }, sort: [{ field: 'organisationId' }] });
    expect(withP2.items.map((m) => m.organisationId)).toEqual([HOME, OCMW, 'org-unregistered'].sort());
    await p.close();
  });

  it('Given a partnership that ends, Then every membership still active closes at its end; one withdrawn before keeps its own end', async () => {
    const ledger = baseHistory();
    ledger.decide({ type: 'WithdrawParty', partnershipId: 'p1', organisationId: OCMW, reason: 'budget' }, { at: day(5) });
    ledger.decide({ type: 'AdmitParty', partnershipId: 'p1', organisationId: 'org-union', delegate: { personId: 'u', name: 'U' } }, { at: day(6) });
    ledger.decide({ type: 'EndPartnership', partnershipId: 'p1', reason: 'goal reached' }, { at: day(9) });
    const p = await project(organizationsProjection, ledger.events);
    const memberships = await p.find<OrganizationPartnership>(ORGANIZATION_MEMBERSHIPS, { filter: { partnershipId: 'p1' }, sort: [{ field: 'organisationId' }] });
    expect(memberships.items.map(({ organisationId, active, until }) => ({ organisationId, active, until }))).toEqual([
      { organisationId: HOME, active: false, until: day(9) },
      { organisationId: OCMW, active: false, until: day(5) },
      { organisationId: 'org-union', active: false, until: day(9) },
      { organisationId: VDAB, active: false, until: day(9) },
    ].sort((a, b) => a.organisationId.localeCompare(b.organisationId)));
    await p.close();
  });
});
