import { refuse } from '../shared/domain-error';
import { isActiveParty, type PartnershipState } from './partnership.state';

export function requireActiveParty(state: PartnershipState, organisationId: string): void {
  if (!isActiveParty(state, organisationId)) refuse('NOT_FOUND', { condition: 'ACTIVE_PARTY', detail: organisationId });
}

export function requireUnique(exists: boolean, condition: string, id: string): void {
  if (exists) refuse('ALREADY_EXISTS', { condition, detail: id });
}
