/* A small portfolio scenario shared by the projection specs: strategy, organisations, a partnership. */
import { addDays, type DomainCommand, type PartnershipCommand } from '@ppl/domain';
import { LedgerHistory } from './ledger-history';

export const T0 = '2025-01-06T09:00:00.000Z';
export const day = (n: number): string => addDays(T0, n);
export const HOME = 'org-municipality';
export const OCMW = 'org-ocmw';
export const VDAB = 'org-vdab';

export const defineStrategy: DomainCommand = {
  type: 'DefineStrategy',
  strategyId: 'home',
  themes: [{ themeId: 'work', name: 'Work and activation', criteria: ['knows the labour market'] }],
  nonNegotiableValues: ['client first'],
  highestLegalFormWithoutBoardDecision: 'COVENANT',
};

export const registerOrganisations: DomainCommand[] = [
  { type: 'RegisterOrganization', organisationId: HOME, name: 'Municipality', kind: 'LOCAL_GOVERNMENT', isHome: true, departments: [{ departmentId: 'dept-social', name: 'Social' }, { departmentId: 'dept-economy', name: 'Economy' }] },
  { type: 'RegisterOrganization', organisationId: OCMW, name: 'OCMW', kind: 'PUBLIC_SOCIAL_WELFARE_CENTRE', isHome: false, departments: [] },
  { type: 'RegisterOrganization', organisationId: VDAB, name: 'VDAB', kind: 'PUBLIC_EMPLOYMENT_SERVICE', isHome: false, departments: [] },
];

export const propose = (partnershipId: string, extra: Partial<Extract<PartnershipCommand, { type: 'ProposePartnership' }>> = {}): PartnershipCommand => ({
  type: 'ProposePartnership',
  partnershipId,
  name: `Partnership ${partnershipId}`,
  themeId: 'work',
  owningDepartmentId: 'dept-social',
  description: 'guiding people into work together',
  purposeType: 'CHAIN',
  origin: { kind: 'CHOSEN' },
  motives: ['COMPLEX_PROBLEM'],
  quadrant: { relation: 'COOPERATIVE', resources: 'COMPLEMENTARY' },
  valueForHome: 'fewer people on income support',
  valueForPartnership: 'one route to work',
  servesClients: 'one plan per job seeker',
  leadParty: { organisationId: HOME, delegate: { personId: 'anna', name: 'Anna' } },
  ...extra,
});

export const admit = (partnershipId: string, organisationId: string, personId: string): PartnershipCommand => ({
  type: 'AdmitParty',
  partnershipId,
  organisationId,
  delegate: { personId, name: personId },
});

export const scores = (s: number) => ({ AMBITION: { score: s }, INTERESTS: { score: s }, RELATION: { score: s }, ORGANISATION: { score: s }, PROCESS: { score: s } });

/** Strategy, three organisations, and partnership `p1` with three parties (day 0–2). */
export function baseHistory(): LedgerHistory {
  const ledger = new LedgerHistory();
  ledger.decide(defineStrategy, { at: T0 });
  for (const c of registerOrganisations) ledger.decide(c, { at: T0 });
  ledger.decide(propose('p1'), { at: day(0) });
  ledger.decide(admit('p1', OCMW, 'olivia'), { at: day(1) });
  ledger.decide(admit('p1', VDAB, 'victor'), { at: day(2) });
  return ledger;
}
