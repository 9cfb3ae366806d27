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

/**
 * The append was malformed (not a UUID event id, an id twice in one batch, an empty type, a
 * negative schema version...). Nothing was stored. A programming error, not a retryable one.
 */
export class InvalidAppendError extends EventStoreError {
  readonly code = 'INVALID_APPEND' as const;
  constructor(
    readonly streamId: string,
    message: string,
  ) {
    super(`Stream ${streamId}: ${message}`);
    this.name = 'InvalidAppendError';
  }
}

/**
 * An event id of the batch is already stored, but not as an idempotent retry of this append
 * (in another stream, or at revisions this append's expected revision does not give it).
 * The embedded store keeps event ids unique across the whole store; EventStoreDB only
 * de-duplicates retries, so its adapter never raises this. Nothing was stored.
 */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID' as const;
  constructor(
    readonly streamId: string,
    readonly eventId: string,
    /** Where the id is already stored. */
    readonly existing: { readonly streamId: string; readonly revision: number },
  ) {
    super(
      `Stream ${streamId}: event id ${eventId} is already stored as ${existing.streamId}@${existing.revision}`,
    );
    this.name = 'DuplicateEventIdError';
  }
}
