import { commandSchemas } from '../routing';
import { eventSchemas } from '../events/event-schemas';
import { upcast } from '../events/upcasters';
import { SEALED_PREFIX } from '../shared/primitives';
import { REDACTED, mapPersonalFields, personalFieldsOf } from './personal-fields';

const anna = { personId: 'anna', name: 'Anna Peeters' };
const bert = { personId: 'bert', name: 'Bert Jansen' };
const individual = { interestId: 'i1', organisationId: 'o1', kind: 'INDIVIDUAL', description: 'my conviction', position: 'stance', lossIfNoCollaboration: null, dealbreaker: false, declaredByDelegate: 'anna', at: '2026-01-01T00:00:00Z' };

describe('personalFieldsOf: which fields are personal data, and whose', () => {
  it('finds every delegate and role holder name with its person', () => {
    expect(personalFieldsOf('PartnershipProposed', { name: 'Net', leadParty: { organisationId: 'o', delegate: anna } })).toEqual([
      { path: ['leadParty', 'delegate', 'name'], personId: 'anna' },
    ]);
    expect(personalFieldsOf('PartyAdmitted', { delegate: bert })).toEqual([{ path: ['delegate', 'name'], personId: 'bert' }]);
    expect(personalFieldsOf('DelegateReplaced', { previous: anna, delegate: bert })).toEqual([
      { path: ['previous', 'name'], personId: 'anna' },
      { path: ['delegate', 'name'], personId: 'bert' },
    ]);
    expect(personalFieldsOf('NetworkRoleAssigned', { role: 'CHAMPION', person: anna })).toEqual([{ path: ['person', 'name'], personId: 'anna' }]);
  });

  it('finds the texts of INDIVIDUAL interests (owned by the declaring delegate), not of other kinds', () => {
    expect(personalFieldsOf('InterestDeclared', individual)).toEqual([
      { path: ['description'], personId: 'anna' },
      { path: ['position'], personId: 'anna' },
    ]);
    expect(personalFieldsOf('InterestDeclared', { ...individual, kind: 'ORGANISATIONAL' })).toEqual([]);
    expect(personalFieldsOf('InterestDeclared', { ...individual, kind: 'COLLECTIVE' })).toEqual([]);
  });

  it('looks a revised interest up in the state before it: its kind and owner', () => {
    const state = { interests: [{ interestId: 'i1', kind: 'INDIVIDUAL' as const, declaredByDelegate: 'anna' }, { interestId: 'i2', kind: 'ORGANISATIONAL' as const, declaredByDelegate: 'anna' }] };
    expect(personalFieldsOf('InterestRevised', { interestId: 'i1', description: 'new', lossIfNoCollaboration: 'x' }, state)).toEqual([
      { path: ['description'], personId: 'anna' },
      { path: ['lossIfNoCollaboration'], personId: 'anna' },
    ]);
    expect(personalFieldsOf('InterestRevised', { interestId: 'i2', description: 'new' }, state)).toEqual([]);
    // Without the state, every revision's texts count as personal, owner unknown (the safe side).
    expect(personalFieldsOf('InterestRevised', { interestId: 'i2', description: 'new' })).toEqual([{ path: ['description'], personId: null }]);
  });

  it('finds nothing in organisation, strategy and other partnership events', () => {
    expect(personalFieldsOf('OrganizationRegistered', { organisationId: 'o', name: 'Acme', departments: [{ departmentId: 'd', name: 'Sales' }] })).toEqual([]);
    expect(personalFieldsOf('StrategyDefined', { themes: [{ themeId: 't', name: 'Care' }] })).toEqual([]);
    expect(personalFieldsOf('PhaseAdvanced', { from: 'EXPLORE', to: 'SHARE' })).toEqual([]);
    expect(personalFieldsOf('PartyAdmitted', null)).toEqual([]);
  });

  it('mapPersonalFields replaces exactly those values, in a copy', () => {
    const data = { previous: anna, delegate: bert, rationale: 'moved on' };
    const out = mapPersonalFields(data, personalFieldsOf('DelegateReplaced', data), () => REDACTED);
    expect(out).toEqual({ previous: { personId: 'anna', name: REDACTED }, delegate: { personId: 'bert', name: REDACTED }, rationale: 'moved on' });
    expect(data.previous.name).toBe('Anna Peeters');
  });
});

describe('sealed values in commands and stored events', () => {
  const sealed = `${SEALED_PREFIX}k.${'a'.repeat(16)}.${'b'.repeat(600)}`;

  it('a command refuses a caller text that starts with the reserved prefix, naming the field', () => {
    const parsed = commandSchemas.AdmitParty.safeParse({ type: 'AdmitParty', partnershipId: 'p', organisationId: 'o', delegate: { personId: 'x', name: `${SEALED_PREFIX}forged` } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain('delegate.name');
  });

  it('a stored event accepts a sealed personal field longer than the plain text may be, and only there', () => {
    expect(() => upcast('PartyAdmitted', 1, { organisationId: 'o', delegate: { personId: 'x', name: sealed }, ambitionAtTable: null, authorisedBy: [], at: '2026-01-01T00:00:00Z' })).not.toThrow();
    expect(() => upcast('InterestDeclared', 1, { ...individual, description: sealed, position: sealed })).not.toThrow();
    expect(eventSchemas.PartyWithdrawn.data.safeParse({ organisationId: 'o', reason: sealed, authorisedBy: [], at: '2026-01-01T00:00:00Z' }).success).toBe(false);
  });
});
