/** Errors are values with codes; the API maps codes to GraphQL errors in one place. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export class ConcurrencyConflictError extends EventStoreError {
  readonly code = 'CONCURRENCY_CONFLICT' as const;
  constructor(
    readonly streamId: string,
    readonly expected: string | number,
    /** The stream's actual last revision, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'ConcurrencyConflictError';
  }
}

export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'UNAVAILABLE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}
