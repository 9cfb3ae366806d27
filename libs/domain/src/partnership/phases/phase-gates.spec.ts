import { foldPartnership } from '../partnership.decider';
import { unrepairedSkips } from './phase-gates';
import { HOME, OCMW, P, VDAB, advance, agreed, designed, history, interestsCovered, propose, readyToExecute, spec, toShare, T0 } from '../../testing/fixtures';

describe('rule 1 — phase gates', () => {
  it('EXPLORE→SHARE needs at least two active parties', () => {
    spec().given(history([propose()])).when(advance('SHARE')).thenThrows('PHASE_GATE_UNMET', [{ condition: 'AT_LEAST_TWO_ACTIVE_PARTIES', detail: '1 active' }]);
  });

  it('EXPLORE→SHARE with two active parties records PhaseAdvanced', () => {
    spec().given(history(toShare)).when(advance('SHARE')).then([{ type: 'PhaseAdvanced', data: { from: 'EXPLORE', to: 'SHARE', authorisedBy: [], at: T0 } }]);
  });

  it('SHARE→AGREE names every missing interest of every party, the collective interest and the client statement', () => {
    const given = history([propose({ servesClients: undefined }), ...toShare.slice(1), advance('SHARE'), interestsCovered[0]]);
    spec().given(given).when(advance('AGREE')).thenThrows('PHASE_GATE_UNMET', [
      { condition: 'PARTY_DECLARED_INDIVIDUAL_INTEREST', detail: HOME },
      { condition: 'PARTY_DECLARED_ORGANISATIONAL_INTEREST', detail: OCMW },
      { condition: 'PARTY_DECLARED_INDIVIDUAL_INTEREST', detail: OCMW },
      { condition: 'PARTY_DECLARED_ORGANISATIONAL_INTEREST', detail: VDAB },
      { condition: 'PARTY_DECLARED_INDIVIDUAL_INTEREST', detail: VDAB },
      { condition: 'COLLECTIVE_INTEREST_DECLARED' },
      { condition: 'SERVES_CLIENTS_STATED' },
    ]);
  });

  it('a withdrawn interest no longer counts for the gate', () => {
    const given = history([...toShare, advance('SHARE'), ...interestsCovered, { type: 'WithdrawInterest', partnershipId: P, interestId: 'i-collective' }]);
    spec().given(given).when(advance('AGREE')).thenThrows('PHASE_GATE_UNMET', [{ condition: 'COLLECTIVE_INTEREST_DECLARED' }]);
  });

  it('AGREE→DESIGN needs an ambition endorsed by every active party, a pledge from each, exclusions and a horizon', () => {
    const given = history([...toShare, advance('SHARE'), ...interestsCovered, advance('AGREE')]);
    spec().given(given).when(advance('DESIGN')).thenThrows('PHASE_GATE_UNMET', [
      { condition: 'AMBITION_FORMULATED' },
      { condition: 'AMBITION_ENDORSED_BY_PARTY', detail: HOME },
      { condition: 'AMBITION_ENDORSED_BY_PARTY', detail: OCMW },
      { condition: 'AMBITION_ENDORSED_BY_PARTY', detail: VDAB },
      { condition: 'CONTRIBUTION_PLEDGED_BY_PARTY', detail: HOME },
      { condition: 'CONTRIBUTION_PLEDGED_BY_PARTY', detail: OCMW },
      { condition: 'CONTRIBUTION_PLEDGED_BY_PARTY', detail: VDAB },
      { condition: 'SCOPE_STATES_EXCLUSIONS' },
      { condition: 'HORIZON_SET' },
    ]);
  });

  it('DESIGN→EXECUTE needs decision rights, task allocation, an operator, a legal form and exit arrangements', () => {
    const given = history([...toShare, advance('SHARE'), ...interestsCovered, advance('AGREE'), ...agreed, advance('DESIGN')]);
    spec().given(given).when(advance('EXECUTE')).thenThrows('PHASE_GATE_UNMET', [
      { condition: 'DECISION_RIGHTS_DEFINED' },
      { condition: 'TASK_ALLOCATION_DEFINED' },
      { condition: 'OPERATOR_ROLE_ASSIGNED' },
      { condition: 'LEGAL_FORM_CHOSEN' },
      { condition: 'EXIT_ARRANGEMENTS_AGREED' },
    ]);
  });

  it('with every gate met, a partnership walks to EXECUTE', () => {
    const state = foldPartnership(history([...readyToExecute, advance('EXECUTE')]));
    expect(state.phase).toBe('EXECUTE');
    expect(state.phaseHistory.map((h) => h.to)).toEqual(['EXPLORE', 'SHARE', 'AGREE', 'DESIGN', 'EXECUTE']);
    expect(designed).toHaveLength(2);
  });

  it('advancing to the current or an earlier phase is not an advance', () => {
    spec().given(history(toShare)).when(advance('EXPLORE')).thenThrows('INVALID_TRANSITION', [{ condition: 'TARGET_PHASE_AHEAD' }]);
  });
});

describe('rule 2 — skipping phases', () => {
  it('a skip without justification is refused', () => {
    spec().given(history(toShare)).when(advance('DESIGN')).thenThrows('VALIDATION_FAILED', [{ condition: 'SKIP_JUSTIFIED' }]);
  });

  it('a justified skip records every unmet condition of each gate passed over', () => {
    const events = spec().given(history(toShare)).when(advance('AGREE', { justification: 'covenant imposed by the province' })).events();
    expect(events).toHaveLength(1);
    const skipped = events[0];
    if (skipped.type !== 'PhasesSkipped') throw new Error(skipped.type);
    expect(skipped.data.passedOver.map((g) => [g.from, g.to, g.unmet.map((u) => u.condition)])).toEqual([
      ['EXPLORE', 'SHARE', []],
      ['SHARE', 'AGREE', expect.arrayContaining(['PARTY_DECLARED_ORGANISATIONAL_INTEREST', 'COLLECTIVE_INTEREST_DECLARED'])],
    ]);
  });

  it('a skip stays a risk signal until the conditions of the gates it passed over hold', () => {
    const skipped = [...toShare, advance('AGREE', { justification: 'urgent' })];
    expect(unrepairedSkips(foldPartnership(history(skipped)))).toHaveLength(1);
    expect(unrepairedSkips(foldPartnership(history([...skipped, ...interestsCovered])))).toHaveLength(0);
  });
});

describe('rule 2 — going back', () => {
  it('going back needs a reason and is always allowed before ENDED', () => {
    const given = history([...toShare, advance('SHARE'), ...interestsCovered, advance('AGREE')]);
    spec()
      .given(given)
      .when({ type: 'RevertPhase', partnershipId: P, toPhase: 'SHARE', reason: 'interests were neglected' })
      .then([{ type: 'PhaseReverted', data: { from: 'AGREE', to: 'SHARE', reason: 'interests were neglected', at: T0 } }]);
  });

  it('going "back" to the same or a later phase is refused', () => {
    spec().given(history(toShare)).when({ type: 'RevertPhase', partnershipId: P, toPhase: 'SHARE', reason: 'x' }).thenThrows('INVALID_TRANSITION');
  });
});
