/** The auditor's questions, as QueryBus messages (resolvers translate, handlers answer). */
export class EscalationComplianceQuery {
  constructor(
    readonly partnershipId: string | undefined,
    readonly now: string,
  ) {}
}

export class VerifyIntegrityQuery {}

export class PartnershipAsOfQuery {
  constructor(
    readonly partnershipId: string,
    readonly cut: { readonly asOf?: string; readonly atRevision?: number; readonly businessAsOf?: string },
  ) {}
}

/** A refusal the error formatter passes to the client with its code. */
export class AuditQueryError extends Error {
  constructor(
    readonly code: 'VALIDATION_FAILED' | 'NOT_FOUND',
    message: string,
    readonly unmet: { condition: string; detail?: string }[] = [],
  ) {
    super(message);
    this.name = 'AuditQueryError';
  }
}
