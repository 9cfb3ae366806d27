import { REDACTED, redactEventData } from './redaction';

describe('redactEventData (what INTEGRATOR sees of an event)', () => {
  const delegate = { personId: 'anna', name: 'Anna Peeters' };

  it('replaces delegates’ and role holders’ names, keeping their ids', () => {
    expect(redactEventData('PartyAdmitted', { organisationId: 'o', delegate })).toEqual({ organisationId: 'o', delegate: { personId: 'anna', name: REDACTED } });
    expect(redactEventData('DelegateReplaced', { previous: delegate, delegate: { personId: 'b', name: 'Bert' } })).toEqual({
      previous: { personId: 'anna', name: REDACTED },
      delegate: { personId: 'b', name: REDACTED },
    });
    expect(redactEventData('NetworkRoleAssigned', { role: 'CHAMPION', person: delegate })).toMatchObject({ person: { personId: 'anna', name: REDACTED } });
    expect(redactEventData('PartnershipProposed', { name: 'Net', leadParty: { organisationId: 'o', delegate } })).toMatchObject({
      name: 'Net',
      leadParty: { organisationId: 'o', delegate: { personId: 'anna', name: REDACTED } },
    });
  });

  it('withholds INDIVIDUAL interest texts and every revision’s texts, not ORGANISATIONAL or COLLECTIVE declarations', () => {
    const interest = { interestId: 'i', kind: 'INDIVIDUAL', description: 'conviction', position: 'stance', lossIfNoCollaboration: null, dealbreaker: true };
    expect(redactEventData('InterestDeclared', interest)).toEqual({ ...interest, description: REDACTED, position: REDACTED });
    expect(redactEventData('InterestDeclared', { ...interest, kind: 'ORGANISATIONAL' })).toEqual({ ...interest, kind: 'ORGANISATIONAL' });
    expect(redactEventData('InterestRevised', { interestId: 'i', description: 'new' })).toEqual({ interestId: 'i', description: REDACTED });
  });

  it('passes other events and non-objects through unchanged', () => {
    const data = { from: 'EXPLORE', to: 'SHARE' };
    expect(redactEventData('PhaseAdvanced', data)).toBe(data);
    expect(redactEventData('PartyAdmitted', null)).toBeNull();
  });
});
