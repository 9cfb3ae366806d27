import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AUDIT_QUERY_HANDLERS } from './audit.handlers';
import { AuditResolver } from './audit.resolver';

/**
 * The auditor's side: escalation compliance, integrity and time travel, each answered from the
 * event store (EVENT_STORE, APP_CONFIG are global) through @ppl/audit.
 */
@Module({
  imports: [CqrsModule],
  providers: [AuditResolver, ...AUDIT_QUERY_HANDLERS],
})
export class AuditModule {}
