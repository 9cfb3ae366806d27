import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { join } from 'node:path';
import { SqliteAuditTimeline } from '@ppl/audit';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { EVENT_STORE, SqliteEventStore, type EventStore } from '@ppl/event-store';
import { AUDIT_TIMELINE_SEARCH, ReadModelAuditTimeline, timelineInStore, type AuditTimeline } from '@ppl/projections';
import { READ_MODEL_STORE, type ReadModelStore } from '@ppl/read-model';
import { ReadYourWrites } from './read-your-writes';

/**
 * The audit timeline follows the configured event store: the embedded SQLite store answers it
 * itself (a read model still holding the `auditTimeline` copy of an earlier version has it
 * dropped when it is opened: ProjectionsModule); with EventStoreDB the projection's collection answers, waiting for
 * it on read-your-writes as every other query.
 */
export const auditTimelineProvider: Provider = {
  provide: AUDIT_TIMELINE_SEARCH,
  inject: [APP_CONFIG, EVENT_STORE, READ_MODEL_STORE, ReadYourWrites],
  useFactory: (config: AppConfig, events: EventStore, store: ReadModelStore, ryw: ReadYourWrites): AuditTimeline => {
    if (!timelineInStore(config.EVENT_STORE)) return new ReadModelAuditTimeline(store, (position) => ryw.reach(position, ['auditTimeline']));
    // The store's own file (the same as @ppl/config's createEventStore), opened by the store first.
    return new SqliteAuditTimeline(events instanceof SqliteEventStore ? events.path : join(config.dataDir, 'events.sqlite'));
  },
};

/** Closes the store adapter's connection on shutdown. */
@Injectable()
export class AuditTimelineLifecycle implements OnApplicationShutdown {
  constructor(@Inject(AUDIT_TIMELINE_SEARCH) private readonly timeline: AuditTimeline) {}

  onApplicationShutdown(): void {
    if (this.timeline instanceof SqliteAuditTimeline) this.timeline.close();
  }
}
