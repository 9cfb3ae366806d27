import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import type { ComplianceReport, ComplianceVerdict, EscalationComplianceEntry, IntegrityReport } from '@ppl/audit';
import type { Connection } from '../read-side/connection';
import { complianceEntries } from './compliance-entries';
import { EscalationComplianceQuery, VerifyIntegrityQuery } from './audit.queries';

const TOTAL_FIELDS: Record<ComplianceVerdict, string> = {
  COMPLIANT: 'compliant',
  CONDITIONS_OPEN: 'conditionsOpen',
  BREACH: 'breach',
  PENDING: 'pending',
  OVERDUE: 'overdue',
};

const iso = (value: Date | string | null | undefined): string | undefined =>
  value === null || value === undefined
    ? undefined
    : value instanceof Date
      ? value.toISOString()
      : value;

/** The auditor's GraphQL queries: translate arguments, ask the QueryBus, shape the answer. */
@Resolver('Query')
export class AuditResolver {
  constructor(private readonly queries: QueryBus) {}

  @Query('escalationCompliance')
  async escalationCompliance(
    @Args('partnershipId') partnershipId: string | null | undefined,
    @Args('now') now: Date | string | null | undefined,
  ): Promise<Omit<ComplianceReport, 'totals'> & { totals: Record<string, number> }> {
    const report = await this.queries.execute<EscalationComplianceQuery, ComplianceReport>(
      new EscalationComplianceQuery(
        partnershipId ?? undefined,
        iso(now) ?? new Date().toISOString(),
      ),
    );
    const totals = Object.fromEntries(
      Object.entries(report.totals).map(([k, v]) => [TOTAL_FIELDS[k as ComplianceVerdict], v]),
    );
    return { ...report, totals };
  }

  @Query('verifyIntegrity')
  verifyIntegrity(): Promise<IntegrityReport> {
    return this.queries.execute<VerifyIntegrityQuery, IntegrityReport>(new VerifyIntegrityQuery());
  }
}

/** `EscalationComplianceReport.entries`: the report's entries, filtered by verdict and paged. */
@Resolver('EscalationComplianceReport')
export class ComplianceReportResolver {
  @ResolveField('entries')
  entries(
    @Parent() report: ComplianceReport,
    @Args('verdict') verdict: ComplianceVerdict[] | null | undefined,
    @Args('first') first: number | null | undefined,
    @Args('after') after: string | null | undefined,
    @Args('last') last: number | null | undefined,
    @Args('before') before: string | null | undefined,
  ): Connection<EscalationComplianceEntry> {
    return complianceEntries(report.entries, { verdict, first, after, last, before });
  }
}
