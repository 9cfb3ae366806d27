import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ppl/event-store';
import { PROJECTION_RUNNER, type ProjectionRunner } from '@ppl/projections';
import { READ_MODEL_STORE, type ReadModelStore } from '@ppl/read-model';

export interface CommittedStatus {
  readonly name: string;
  /** The committed checkpoint, or the head when nothing the projection reads lies beyond it. */
  readonly position: number;
  readonly lag: number;
}

/**
 * Where each projection stands by what is committed in the read model: what the service can
 * know when a separate projector (PROJECTIONS_IN_PROCESS=false) or its worker thread runs them.
 */
@Injectable()
export class CommittedProgress {
  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  checkpoint(name: string): Promise<number> {
    return this.store.getCheckpoint(name);
  }

  /** A filtered projection has reached `position` when nothing it reads lies between its checkpoint and it. */
  async reached(name: string, checkpoint: number, position: number): Promise<boolean> {
    if (checkpoint >= position) return true;
    if (position > (await this.events.headPosition())) return false;
    const projection = this.runner.projections.find((p) => p.name === name);
    const [next] = await this.events.readAll({ ...(checkpoint >= 0 ? { after: checkpoint } : {}), filter: projection?.filter, maxCount: 1 });
    return next === undefined || next.position > position;
  }

  /** Each projection's position and lag (events between it and the store's head), as the runner reports them. */
  async status(): Promise<CommittedStatus[]> {
    const head = await this.events.headPosition();
    const result: CommittedStatus[] = [];
    for (const projection of this.runner.projections) {
      const checkpoint = await this.checkpoint(projection.name);
      const position = (await this.reached(projection.name, checkpoint, head)) ? Math.max(head, checkpoint) : checkpoint;
      result.push({ name: projection.name, position, lag: Math.max(0, head - position) });
    }
    return result;
  }
}
