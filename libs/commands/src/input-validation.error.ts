/** A GraphQL input the domain's schema refuses: every invalid field with its path. */
export class InputValidationError extends Error {
  readonly code = 'VALIDATION_FAILED' as const;
  constructor(readonly fields: readonly { path: string; message: string }[]) {
    super(`Invalid input: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`);
    this.name = 'InputValidationError';
  }
}

/** The service is going down or its store is not reachable: try again later. */
export class ServiceUnavailableError extends Error {
  readonly code = 'UNAVAILABLE' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ServiceUnavailableError';
  }
}
