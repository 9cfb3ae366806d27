import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AUDIT_QUERY_HANDLERS } from './audit.handlers';
import { AuditResolver, ComplianceReportResolver } from './audit.resolver';
import { ReadSideModule } from '../read-side/read-side.module';
import { timeTravelProvider } from './time-travel.provider';

/**
 * The auditor's side: escalation compliance, integrity and time travel, each answered from the
 * event store (EVENT_STORE, APP_CONFIG are global) through @ppl/audit. Time travel keeps its
 * snapshots (a cache, verified before use) in the read model (READ_MODEL_STORE).
 */
@Module({
  imports: [CqrsModule, ReadSideModule],
  providers: [AuditResolver, ComplianceReportResolver, timeTravelProvider, ...AUDIT_QUERY_HANDLERS],
})
export class AuditModule {}
