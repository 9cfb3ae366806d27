/** Errors are values with codes; the API maps codes to GraphQL errors in one place. */
export abstract class ProjectionError extends Error {
  abstract readonly code: string;
}

export interface LaggingProjection {
  readonly name: string;
  readonly position: number;
}

/** Read-your-writes: the projections did not reach the position in time. */
export class ProjectionLaggingError extends ProjectionError {
  readonly code = 'PROJECTION_LAGGING' as const;
  constructor(
    readonly position: number,
    readonly timeoutMs: number,
    readonly lagging: readonly LaggingProjection[],
  ) {
    super(
      `Projections not at position ${position} after ${timeoutMs} ms: ` +
        lagging.map((p) => `${p.name} at ${p.position}`).join(', '),
    );
    this.name = 'ProjectionLaggingError';
  }
}

/** A projection stopped on an error and will not reach any further position until restarted. */
export class ProjectionFailedError extends ProjectionError {
  readonly code = 'PROJECTION_FAILED' as const;
  constructor(
    readonly projection: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Projection ${projection} has failed: ${reason}`, options);
    this.name = 'ProjectionFailedError';
  }
}

/** `apply` threw (or returned an invalid change) for one event. */
export class ProjectionApplyError extends ProjectionError {
  readonly code = 'PROJECTION_APPLY_FAILED' as const;
  constructor(
    readonly projection: string,
    readonly eventPosition: number,
    readonly eventType: string,
    cause: unknown,
  ) {
    super(
      `Projection ${projection} failed on ${eventType} at position ${eventPosition}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'ProjectionApplyError';
  }
}

export class UnknownProjectionError extends ProjectionError {
  readonly code = 'PROJECTION_UNKNOWN' as const;
  constructor(readonly projection: string) {
    super(`No projection named ${projection} is registered with the runner`);
    this.name = 'UnknownProjectionError';
  }
}

/** A rebuild stopped before swapping in (abort signal, or stop()); calling rebuild again resumes it. */
export class RebuildInterruptedError extends ProjectionError {
  readonly code = 'PROJECTION_REBUILD_INTERRUPTED' as const;
  constructor(
    readonly projection: string,
    readonly position: number,
  ) {
    super(`Rebuild of ${projection} interrupted at position ${position}; run it again to resume`);
    this.name = 'RebuildInterruptedError';
  }
}
