import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, createReadModelStore, type AppConfig } from '@ppl/config';
import { EVENT_STORE, type EventStore } from '@ppl/event-store';
import { dropUnusedProjections, PROJECTION_RUNNER, ProjectionRunner, readSideProjections, timelineInStore } from '@ppl/projections';
import { READ_MODEL_STORE, type ReadModelStore } from '@ppl/read-model';
import { LOGGER } from '../observability/logger';
import { CommittedProgress } from './committed-progress';
import { ProjectionLifecycle } from './projection-lifecycle';
import { ProjectionProgress } from './projection-thread';

/**
 * The read model by configuration and the projections that write it, run as the configuration
 * says (see ProjectionLifecycle): what the service's read side and the projector share.
 */
@Module({
  providers: [
    {
      provide: READ_MODEL_STORE,
      inject: [APP_CONFIG, LOGGER],
      useFactory: async (config: AppConfig, logger: Logger): Promise<ReadModelStore> => {
        const store = await createReadModelStore(config);
        // The embedded event store answers the audit timeline itself: a copy an earlier version left is dropped.
        await dropUnusedProjections(store, { timelineInStore: timelineInStore(config.EVENT_STORE) }, (message) => logger.info(message));
        return store;
      },
    },
    {
      provide: PROJECTION_RUNNER,
      inject: [APP_CONFIG, EVENT_STORE, READ_MODEL_STORE, LOGGER],
      useFactory: (config: AppConfig, events: EventStore, store: ReadModelStore, logger: Logger) =>
        // The embedded event store answers the audit timeline itself: no auditTimeline projection.
        new ProjectionRunner(events, store, readSideProjections({ timelineInStore: timelineInStore(config.EVENT_STORE) }), {
          logger: { error: (message, error) => logger.error({ err: error }, message), info: (message) => logger.info(message) },
        }),
    },
    ProjectionLifecycle,
    CommittedProgress,
    ProjectionProgress,
  ],
  exports: [READ_MODEL_STORE, PROJECTION_RUNNER, CommittedProgress, ProjectionProgress],
})
export class ProjectionsModule {}
