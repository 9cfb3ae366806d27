/** No valid token: missing, malformed, forged, expired, wrong issuer or audience. */
export class UnauthenticatedError extends Error {
  readonly code = 'UNAUTHENTICATED' as const;
  /** Carried into a GraphQLError raised from a resolver, where no formatter runs (graphql-ws). */
  readonly extensions = { code: 'UNAUTHENTICATED' };
  constructor(message = 'A valid bearer token is required') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** A valid token whose role may not do this; nothing is recorded. */
export class ForbiddenError extends Error {
  readonly code = 'FORBIDDEN' as const;
  readonly extensions = { code: 'FORBIDDEN' };
  constructor(readonly role: string, readonly operation: string, reason?: string) {
    super(`${role} may not ${operation}${reason ? `: ${reason}` : ''}`);
    this.name = 'ForbiddenError';
  }
}
