import { z } from 'zod';
import type { UnmetCondition } from '../../shared/domain-error';
import { amount, identifier } from '../../shared/primitives';
import type { Trigger } from '../../strategy/escalation-rule';
import { LegalFormSchema, WorkingPhaseSchema } from '../vocabulary';
import type { TriggerOccurrence } from './effective-rules';

/**
 * Rule 3: "A decision authorises the one change it was requested for." An approval request
 * names that change, and a decision on it authorises only a change that fits: the board that
 * approved a joint venture has not approved a merger, and admitting the OCMW is not admitting
 * the VDAB. What a request names depends on its trigger (REQUESTED_CHANGE_FIELDS):
 *   - entering a phase: the phase entered; skipping phases: the phase skipped to;
 *   - a change of legal form: the form it changes to;
 *   - a contribution above an amount: the organisation and the highest amount approved;
 *   - a party admitted or withdrawn, a delegate replaced: the organisation.
 * Scope changed and ending the partnership have nothing to name: the request is for the next
 * such change. Reporting triggers are never refused, so nothing is requested for them.
 * A request recorded before requests named their change (`change` absent) answers any change of
 * its trigger, as it did when it was recorded.
 */
export const RequestedChangeSchema = z.strictObject({
  phase: WorkingPhaseSchema.optional().describe('PHASE_ENTERED: the phase entered; PHASES_SKIPPED: the phase skipped to.'),
  legalForm: LegalFormSchema.optional().describe('LEGAL_FORM_CHANGED: the legal form changed to.'),
  organisationId: identifier()
    .optional()
    .describe('PARTY_ADMITTED, PARTY_WITHDRAWN, DELEGATE_REPLACED: the organisation; CONTRIBUTION_ABOVE: the organisation that pledges.'),
  amount: amount().optional().describe('CONTRIBUTION_ABOVE: the highest single money contribution approved.'),
});
export type RequestedChange = z.infer<typeof RequestedChangeSchema>;
type ChangeField = keyof RequestedChange;

/** What a request for each trigger must name, and may name (no more). */
export const REQUESTED_CHANGE_FIELDS: Readonly<Record<Trigger, readonly ChangeField[]>> = {
  PHASE_ENTERED: ['phase'],
  PHASES_SKIPPED: ['phase'],
  LEGAL_FORM_CHANGED: ['legalForm'],
  CONTRIBUTION_ABOVE: ['organisationId', 'amount'],
  PARTY_ADMITTED: ['organisationId'],
  PARTY_WITHDRAWN: ['organisationId'],
  DELEGATE_REPLACED: ['organisationId'],
  SCOPE_CHANGED: [],
  PARTNERSHIP_ENDED: [],
  VALUE_AT_RISK: [],
  EVALUATION_STOP: [],
  STAGNATION: [],
  HEALTH_BELOW: [],
  EVALUATION_OVERDUE: [],
};

/** Why a request's change does not fit its trigger: a field it must name, or one that does not apply. */
export function requestedChangeProblems(trigger: Trigger, change: RequestedChange | undefined): UnmetCondition[] {
  const fields = REQUESTED_CHANGE_FIELDS[trigger];
  const problems: UnmetCondition[] = [];
  for (const field of fields) {
    if (change?.[field] === undefined) problems.push({ condition: 'REQUESTED_CHANGE_NAMED', detail: `a request for ${trigger} names the change's ${field}` });
  }
  for (const field of Object.keys(change ?? {}) as ChangeField[]) {
    if (change?.[field] !== undefined && !fields.includes(field)) problems.push({ condition: 'REQUESTED_CHANGE_FITS_TRIGGER', detail: `${field} does not apply to ${trigger}` });
  }
  return problems;
}

/** Is the occurrence the change the request named? A request that named none (recorded before) answers any. */
export function fitsRequestedChange(change: RequestedChange | null | undefined, occurrence: TriggerOccurrence): boolean {
  if (change === null || change === undefined) return true;
  if (change.phase !== undefined && occurrence.phase !== change.phase) return false;
  if (change.legalForm !== undefined && occurrence.legalForm !== change.legalForm) return false;
  if (change.organisationId !== undefined && occurrence.organisationId !== change.organisationId) return false;
  if (change.amount !== undefined && (occurrence.amount === undefined || occurrence.amount > change.amount)) return false;
  return true;
}

/** "phase AGREE", "legal form JOINT_VENTURE", "org-ocmw, up to 50000": for refusals and the register. */
export function describeRequestedChange(change: RequestedChange | null | undefined): string {
  if (!change) return 'any change of its trigger';
  const parts: string[] = [];
  if (change.phase !== undefined) parts.push(`phase ${change.phase}`);
  if (change.legalForm !== undefined) parts.push(`legal form ${change.legalForm}`);
  if (change.organisationId !== undefined) parts.push(change.organisationId);
  if (change.amount !== undefined) parts.push(`up to ${change.amount}`);
  return parts.length > 0 ? parts.join(', ') : 'the next change of its trigger';
}
