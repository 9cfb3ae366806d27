import { createEventStore, createReadModelStore, loadConfig, type AppConfig } from '@ppl/config';
import type { EventStore } from '@ppl/event-store';
import { dropUnusedProjections, ProjectionRunner, readSideProjections, timelineInStore, type ProjectionRunnerOptions, type ReadSideOptions } from '@ppl/projections';
import type { ReadModelStore } from '@ppl/read-model';

export interface ReadSide {
  config: AppConfig;
  events: EventStore;
  readModel: ReadModelStore;
  runner: ProjectionRunner;
  /** Which projections this configuration runs (the embedded event store answers the audit timeline itself). */
  options: ReadSideOptions;
  close(): Promise<void>;
}

/**
 * The event store and read model the service would use (same configuration), and a runner over
 * the projections it runs. A read model still holding a copy this configuration does not run (the
 * audit timeline's, on the embedded event store) has it dropped, and says so.
 */
export async function openReadSide(options: ProjectionRunnerOptions = {}): Promise<ReadSide> {
  const config = loadConfig();
  const events = createEventStore(config);
  const readModel = await createReadModelStore(config);
  const sideOptions: ReadSideOptions = { timelineInStore: timelineInStore(config.EVENT_STORE) };
  await dropUnusedProjections(readModel, sideOptions, (message) => {
    if (options.logger?.info) options.logger.info(message);
    else process.stderr.write(`${message}\n`);
  });
  const runner = new ProjectionRunner(events, readModel, readSideProjections(sideOptions), options);
  return {
    config,
    events,
    readModel,
    runner,
    options: sideOptions,
    async close() {
      await readModel.close();
      await events.close();
    },
  };
}
