/**
 * Every refusal the domain can give, in one place. The API maps them to GraphQL errors.
 */
export const DOMAIN_ERROR_CODES = [
  /** A phase gate of rule 1 does not hold; `unmet` names every unmet condition. */
  'PHASE_GATE_UNMET',
  /** A MANDATORY escalation rule (or the legal-form boundary) needs an approving decision. */
  'APPROVAL_REQUIRED',
  /** An INFORM escalation rule needs the body to have been informed first. */
  'INFORM_REQUIRED',
  /** Rule 5: an ENDED partnership refuses every command. */
  'PARTNERSHIP_ENDED',
  /** The aggregate, or something the command refers to, does not exist. */
  'NOT_FOUND',
  /** The aggregate or the thing the command creates exists already. */
  'ALREADY_EXISTS',
  /** The command does not fit the current state (e.g. advancing backwards, a decided request). */
  'INVALID_TRANSITION',
  /** The command's content breaks a rule of the domain (e.g. a skip without justification). */
  'VALIDATION_FAILED',
  /** The actor may not do this (e.g. an auditor never writes). */
  'FORBIDDEN',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** One reason for a refusal: a machine-readable condition and a human detail. */
export interface UnmetCondition {
  readonly condition: string;
  readonly detail?: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    readonly unmet: readonly UnmetCondition[],
    message?: string,
  ) {
    super(message ?? `${code}: ${unmet.map((u) => (u.detail ? `${u.condition} (${u.detail})` : u.condition)).join('; ')}`);
  }
}

export function refuse(code: DomainErrorCode, ...unmet: UnmetCondition[]): never {
  throw new DomainError(code, unmet);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
