import { createEventStore, createReadModelStore, loadConfig, type AppConfig } from '@ppl/config';
import type { EventStore } from '@ppl/event-store';
import { ProjectionRunner, READ_SIDE_PROJECTIONS, type ProjectionRunnerOptions } from '@ppl/projections';
import type { ReadModelStore } from '@ppl/read-model';

export interface ReadSide {
  config: AppConfig;
  events: EventStore;
  readModel: ReadModelStore;
  runner: ProjectionRunner;
  close(): Promise<void>;
}

/** The event store and read model the service would use (same configuration), and a runner over them. */
export async function openReadSide(options: ProjectionRunnerOptions = {}): Promise<ReadSide> {
  const config = loadConfig();
  const events = createEventStore(config);
  const readModel = await createReadModelStore(config);
  const runner = new ProjectionRunner(events, readModel, READ_SIDE_PROJECTIONS, options);
  return {
    config,
    events,
    readModel,
    runner,
    async close() {
      await readModel.close();
      await events.close();
    },
  };
}
