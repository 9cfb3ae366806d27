import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditTimelineLifecycle, auditTimelineProvider } from './audit-timeline.provider';
import { ProjectionsModule } from './projections.module';
import { ReadSideResolver } from './read-side.resolver';
import { ReadYourWrites } from './read-your-writes';
import { PageCache } from './page-cache';
import { ReadSideVersions } from './response-validity';
import { AuditTrailHandler, PartnershipHistoryHandler } from './queries/audit-trail.queries';
import { OrganizationHandler, OrganizationPartnershipsHandler, OrganizationsHandler } from './queries/organizations.queries';
import { AuditEntryResolver } from './audit-entry.resolver';
import { PartnershipRecordResolver } from './partnership-record.resolver';
import { OrganizationPartnershipResolver, OrganizationResolver } from './organization.resolver';
import { PartnershipHandler, PortfolioHandler, PortfolioSummaryHandler } from './queries/portfolio.queries';
import { DecisionsHandler, EscalationsHandler } from './queries/registers.queries';
import { CapabilityHandler, StrategyHandler } from './queries/strategy.queries';

/** The read side: the read model and its projections (ProjectionsModule), and the board's queries. */
@Module({
  imports: [CqrsModule, ProjectionsModule],
  providers: [
    ReadYourWrites,
    auditTimelineProvider,
    AuditTimelineLifecycle,
    PageCache,
    ReadSideVersions,
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
  exports: [ProjectionsModule, ReadSideVersions],
})
export class ReadSideModule {}
