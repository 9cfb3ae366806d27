import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import { APP_CONFIG, createReadModelStore, type AppConfig } from '@ppl/config';
import { EVENT_STORE, type EventStore } from '@ppl/event-store';
import { PROJECTION_RUNNER, ProjectionRunner, readSideProjections, timelineInStore } from '@ppl/projections';
import { READ_MODEL_STORE, type ReadModelStore } from '@ppl/read-model';
import { LOGGER } from '../observability/logger';
import { AuditTimelineLifecycle, auditTimelineProvider } from './audit-timeline.provider';
import { CommittedProgress } from './committed-progress';
import { ProjectionLifecycle } from './projection-lifecycle';
import { ReadSideResolver } from './read-side.resolver';
import { ReadYourWrites } from './read-your-writes';
import { PageCache } from './page-cache';
import { ReadSideVersions } from './response-validity';
import { ProjectionProgress } from './projection-thread';
import { AuditTrailHandler, PartnershipHistoryHandler } from './queries/audit-trail.queries';
import { OrganizationHandler, OrganizationPartnershipsHandler, OrganizationsHandler } from './queries/organizations.queries';
import { AuditEntryResolver } from './audit-entry.resolver';
import { PartnershipRecordResolver } from './partnership-record.resolver';
import { OrganizationPartnershipResolver, OrganizationResolver } from './organization.resolver';
import { PartnershipHandler, PortfolioHandler, PortfolioSummaryHandler } from './queries/portfolio.queries';
import { DecisionsHandler, EscalationsHandler } from './queries/registers.queries';
import { CapabilityHandler, StrategyHandler } from './queries/strategy.queries';

/** The read side: read-model store by configuration, projections, and the board's queries. */
@Module({
  imports: [CqrsModule],
  providers: [
    { provide: READ_MODEL_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createReadModelStore(config) },
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
    ReadYourWrites,
    auditTimelineProvider,
    AuditTimelineLifecycle,
    PageCache,
    ReadSideVersions,
    ProjectionProgress,
    ReadSideResolver,
    PortfolioHandler,
    PortfolioSummaryHandler,
    PartnershipHandler,
    EscalationsHandler,
    DecisionsHandler,
    OrganizationsHandler,
    OrganizationHandler,
    OrganizationPartnershipsHandler,
    OrganizationResolver,
    OrganizationPartnershipResolver,
    AuditEntryResolver,
    PartnershipRecordResolver,
    StrategyHandler,
    CapabilityHandler,
    AuditTrailHandler,
    PartnershipHistoryHandler,
  ],
  exports: [READ_MODEL_STORE, PROJECTION_RUNNER, ReadSideVersions],
})
export class ReadSideModule {}
