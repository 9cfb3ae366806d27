import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { PROJECTION_RUNNER, ProjectionFailedError, ProjectionLaggingError, type ProjectionRunner } from '@ppl/projections';
import { CommittedProgress } from './committed-progress';
import { ProjectionProgress } from './projection-thread';
import { ReadSideInputError } from './read-side.errors';

export type ReadSideProjection = 'portfolio' | 'organizations' | 'auditTimeline';

/**
 * Read your writes: resolves once the named projections reflect everything up to `position`,
 * else PROJECTION_LAGGING after READ_YOUR_WRITES_TIMEOUT_MS. In process, the runner knows its
 * projections' progress; when a worker thread (PROJECTIONS_THREAD) or a separate projector
 * (PROJECTIONS_IN_PROCESS=false) runs them, the committed checkpoints in the read model are
 * read instead, again at each commit the thread reports, else every 25 ms.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    private readonly committed: CommittedProgress,
    private readonly progress: ProjectionProgress,
  ) {}

  async reach(position: number | null | undefined, projections: readonly ReadSideProjection[]): Promise<void> {
    if (position === null || position === undefined) return;
    if (!Number.isSafeInteger(position) || position < -1) {
      throw new ReadSideInputError('position must be a global position (an integer ≥ -1)', [{ path: 'position', message: 'integer ≥ -1' }]);
    }
    const timeout = this.config.READ_YOUR_WRITES_TIMEOUT_MS;
    if (this.config.PROJECTIONS_IN_PROCESS && !this.config.PROJECTIONS_THREAD) return this.runner.waitFor(position, timeout, projections);
    const deadline = Date.now() + timeout;
    for (;;) {
      const behind: { name: string; position: number }[] = [];
      for (const name of projections) {
        const failure = this.progress.failure(name);
        if (failure !== undefined) throw new ProjectionFailedError(name, failure);
        const checkpoint = await this.committed.checkpoint(name);
        if (!(await this.committed.reached(name, checkpoint, position))) behind.push({ name, position: checkpoint });
      }
      if (behind.length === 0) return;
      if (Date.now() >= deadline) throw new ProjectionLaggingError(position, timeout, behind);
      await this.progress.changed(Math.min(25, Math.max(1, deadline - Date.now())));
    }
  }
}

/** `position` argument, else the `x-min-position` header of the request. */
export function requestedPosition(argument: number | null | undefined, req: unknown): number | undefined {
  if (argument !== null && argument !== undefined) return argument;
  const headers = (req as { headers?: Record<string, string | string[] | undefined> } | undefined)?.headers;
  const raw = headers?.['x-min-position'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) {
    throw new ReadSideInputError('x-min-position must be an integer', [{ path: 'x-min-position', message: 'integer' }]);
  }
  return parsed;
}

const carried = new WeakMap<object, number>();

/**
 * Read your writes below a root field: the position its query waited for travels with the
 * objects it returned, so a nested field that reads another projection (an organisation's
 * partnerships' rows) waits for that projection to reach the same position.
 */
export function carryPosition<T>(value: T, position: number | undefined): T {
  if (position === undefined || value === null || typeof value !== 'object') return value;
  // A copy: the store may hand the same document to other requests, with their own positions.
  const copy = { ...value };
  carried.set(copy, position);
  return copy;
}

/** The position carried by a parent object (see carryPosition), if any. */
export function carriedPosition(value: unknown): number | undefined {
  return value !== null && typeof value === 'object' ? carried.get(value) : undefined;
}
