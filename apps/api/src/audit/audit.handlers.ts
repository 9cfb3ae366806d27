import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  ComplianceAuditor,
  HOME_STRATEGY_STREAM,
  PARTNERSHIP_PREFIX,
  chainOptionsFor,
  mergeByPosition,
  readAllPaged,
  readPartnershipWithStrategy,
  streamHeadsFor,
  verifyIntegrity,
  type TimeTravel,
  type ComplianceReport,
  type IntegrityReport,
} from '@ppl/audit';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { EVENT_STORE, type EventStore } from '@ppl/event-store';
import type { PartnershipView } from '@ppl/projections';
import {
  AuditQueryError,
  EscalationComplianceQuery,
  PartnershipAsOfQuery,
  VerifyIntegrityQuery,
} from './audit.queries';
import { withState } from '../read-side/partnership-record';
import { TIME_TRAVEL } from './time-travel.provider';

@QueryHandler(EscalationComplianceQuery)
export class EscalationComplianceHandler implements IQueryHandler<
  EscalationComplianceQuery,
  ComplianceReport
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(query: EscalationComplianceQuery): Promise<ComplianceReport> {
    const auditor = new ComplianceAuditor(query.partnershipId);
    if (query.partnershipId !== undefined) {
      const { stream, strategy } = await readPartnershipWithStrategy(
        this.store,
        query.partnershipId,
      );
      if (stream.length === 0)
        throw new AuditQueryError('NOT_FOUND', `No partnership ${query.partnershipId}`, [
          { condition: 'PARTNERSHIP_EXISTS', detail: query.partnershipId },
        ]);
      for (const event of mergeByPosition(stream, strategy)) auditor.add(event);
    } else {
      for await (const event of readAllPaged(this.store, {
        streamPrefixes: [PARTNERSHIP_PREFIX, HOME_STRATEGY_STREAM],
      }))
        auditor.add(event);
    }
    return auditor.report(query.now);
  }
}

@QueryHandler(VerifyIntegrityQuery)
export class VerifyIntegrityHandler implements IQueryHandler<
  VerifyIntegrityQuery,
  IntegrityReport
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(): Promise<IntegrityReport> {
    // The stream index is read before the chain: a stream appended to in between has grown past
    // its indexed revision, which the checker accepts (it holds the indexed hash there).
    const streamHeads = streamHeadsFor(this.config);
    return verifyIntegrity(this.store, { streamHeads, chain: chainOptionsFor(this.config) });
  }
}

@QueryHandler(PartnershipAsOfQuery)
export class PartnershipAsOfHandler implements IQueryHandler<
  PartnershipAsOfQuery,
  PartnershipView | null
> {
  constructor(@Inject(TIME_TRAVEL) private readonly timeTravel: TimeTravel) {}

  async execute(query: PartnershipAsOfQuery): Promise<PartnershipView | null> {
    const { atRevision, asOf, businessAsOf } = query.cut;
    if (atRevision !== undefined && (!Number.isInteger(atRevision) || atRevision < 0)) {
      throw new AuditQueryError('VALIDATION_FAILED', 'atRevision must be a revision (0 or more)', [
        { condition: 'REVISION_NOT_NEGATIVE', detail: String(atRevision) },
      ]);
    }
    const found = await this.timeTravel.partnershipAsOf(query.partnershipId, { atRevision, asOf, businessAsOf });
    // The state travels with the view, for `Partnership.record` as of the same cut.
    return found ? withState(found.view, found.state) : null;
  }
}

export const AUDIT_QUERY_HANDLERS = [
  EscalationComplianceHandler,
  VerifyIntegrityHandler,
  PartnershipAsOfHandler,
];
