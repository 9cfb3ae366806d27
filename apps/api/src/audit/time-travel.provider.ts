import type { Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { ReadModelSnapshotStore, TimeTravel } from '@ppl/audit';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { EVENT_STORE, type EventStore } from '@ppl/event-store';
import { READ_MODEL_STORE, type ReadModelStore } from '@ppl/read-model';
import { LOGGER } from '../observability/logger';
import { Metrics } from '../observability/metrics';

/** DI token of the service's TimeTravel (snapshots in the configured read model). */
export const TIME_TRAVEL = Symbol.for('ppl.TimeTravel');

export const timeTravelProvider: Provider = {
  provide: TIME_TRAVEL,
  inject: [EVENT_STORE, READ_MODEL_STORE, APP_CONFIG, LOGGER, Metrics],
  useFactory: (
    events: EventStore,
    readModel: ReadModelStore,
    config: AppConfig,
    logger: Logger,
    metrics: Metrics,
  ): TimeTravel => {
    const snapshots = new Counter({
      name: 'ppl_time_travel_snapshots_total',
      help: 'Time-travel snapshots used, rejected (did not verify), written, or failed to write or look up',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    return new TimeTravel(events, {
      snapshots: new ReadModelSnapshotStore(readModel),
      every: config.TIME_TRAVEL_SNAPSHOT_EVERY,
      logger: { warn: (message, detail) => logger.warn(detail, message) },
      onSnapshot: (outcome) => snapshots.inc({ outcome }),
    });
  },
};
