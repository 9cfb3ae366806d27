/** Errors are values with codes; the API maps codes to GraphQL errors in one place. */
export abstract class ReadModelError extends Error {
  abstract readonly code: string;
}

export class UnknownCollectionError extends ReadModelError {
  readonly code = 'READ_MODEL_UNKNOWN_COLLECTION' as const;
  constructor(readonly collection: string) {
    super(`Unknown read-model collection "${collection}": no registered projection declares it`);
    this.name = 'UnknownCollectionError';
  }
}

export class UnknownProjectionError extends ReadModelError {
  readonly code = 'READ_MODEL_UNKNOWN_PROJECTION' as const;
  constructor(readonly projection: string) {
    super(`Unknown projection "${projection}": register it first`);
    this.name = 'UnknownProjectionError';
  }
}

/** A filter or sort on a field the collection did not declare (so no index backs it). */
export class UndeclaredFieldError extends ReadModelError {
  readonly code = 'READ_MODEL_UNDECLARED_FIELD' as const;
  constructor(
    readonly collection: string,
    readonly field: string,
  ) {
    super(`Field "${field}" of collection "${collection}" is not declared in its indexes`);
    this.name = 'UndeclaredFieldError';
  }
}

export class InvalidQueryError extends ReadModelError {
  readonly code = 'READ_MODEL_INVALID_QUERY' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidQueryError';
  }
}

export class InvalidSchemaError extends ReadModelError {
  readonly code = 'READ_MODEL_INVALID_SCHEMA' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSchemaError';
  }
}

/** A change that cannot be applied: the whole commit is refused and nothing is written. */
export class InvalidChangeError extends ReadModelError {
  readonly code = 'READ_MODEL_INVALID_CHANGE' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidChangeError';
  }
}

export class DocumentNotFoundError extends ReadModelError {
  readonly code = 'READ_MODEL_DOCUMENT_NOT_FOUND' as const;
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`Cannot patch ${collection}/${id}: no such document`);
    this.name = 'DocumentNotFoundError';
  }
}

/** The stored checkpoint is not what the committer expected (another writer, or a swap). */
export class CheckpointConflictError extends ReadModelError {
  readonly code = 'READ_MODEL_CHECKPOINT_CONFLICT' as const;
  constructor(
    readonly projection: string,
    readonly expected: number | string,
    readonly actual: number,
  ) {
    super(`Projection ${projection}: checkpoint expected ${String(expected)}, stored ${actual}`);
    this.name = 'CheckpointConflictError';
  }
}

/** The shadow a RebuildWriter was bound to is gone (abandoned, swapped, or replaced). */
export class RebuildStaleError extends ReadModelError {
  readonly code = 'READ_MODEL_REBUILD_STALE' as const;
  constructor(
    readonly projection: string,
    readonly generation: number,
  ) {
    super(`Projection ${projection}: generation ${generation} is no longer the shadow`);
    this.name = 'RebuildStaleError';
  }
}

export class ReadModelUnavailableError extends ReadModelError {
  readonly code = 'READ_MODEL_UNAVAILABLE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadModelUnavailableError';
  }
}
