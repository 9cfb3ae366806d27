import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DECISIONS, ESCALATIONS, type DecisionDoc, type EscalationDoc } from '@ppl/projections';
import { READ_MODEL_STORE, type Filter, type ReadModelStore } from '@ppl/read-model';
import { findPage, findPaging, pageWindow, toConnection, type Connection, type PageArgs } from '../connection';
import { ReadYourWrites } from '../read-your-writes';
import { nowIso } from './portfolio.queries';

export interface EscalationsFilter {
  status?: string | null;
  body?: string | null;
  level?: string | null;
  overdue?: boolean | null;
  partnershipId?: string | null;
}

export class EscalationsQuery {
  constructor(
    readonly filter: EscalationsFilter,
    readonly page: PageArgs,
    readonly position: number | undefined,
  ) {}
}

export interface DecisionsFilter {
  partnershipId?: string | null;
  body?: string | null;
  outcome?: string | null;
}

export class DecisionsQuery {
  constructor(
    readonly filter: DecisionsFilter,
    readonly page: PageArgs,
    readonly position: number | undefined,
  ) {}
}

export type EscalationView = EscalationDoc & { overdue: boolean };

/** Overdue = still OPEN and past its deadline at `now` (what the scheduler's review will mark). */
export function escalationFilter(input: EscalationsFilter, now: string): Filter {
  const and: Filter[] = [];
  if (input.status) and.push({ status: input.status });
  if (input.body) and.push({ body: input.body });
  if (input.level) and.push({ level: input.level });
  if (input.partnershipId) and.push({ partnershipId: input.partnershipId });
  if (input.overdue === true) and.push({ status: 'OPEN', dueAt: { lt: now } });
  if (input.overdue === false) and.push({ or: [{ status: { ne: 'OPEN' } }, { dueAt: { gte: now } }] });
  return { and };
}

@QueryHandler(EscalationsQuery)
export class EscalationsHandler implements IQueryHandler<EscalationsQuery, Connection<EscalationView>> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute(query: EscalationsQuery): Promise<Connection<EscalationView>> {
    const now = nowIso();
    const paging = findPaging(pageWindow(query.page));
    await this.ryw.reach(query.position, ['portfolio']);
    // What waits longest first: earliest deadline, then order of raising.
    const page = await findPage<EscalationDoc>(this.store, ESCALATIONS, {
      filter: escalationFilter(query.filter, now),
      sort: [{ field: 'dueAt' }, { field: 'raisedPosition' }],
      ...paging,
    });
    return toConnection(page, (doc) => ({ ...doc, overdue: doc.status === 'OPEN' && doc.dueAt < now }));
  }
}

@QueryHandler(DecisionsQuery)
export class DecisionsHandler implements IQueryHandler<DecisionsQuery, Connection<DecisionDoc>> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute(query: DecisionsQuery): Promise<Connection<DecisionDoc>> {
    const paging = findPaging(pageWindow(query.page));
    await this.ryw.reach(query.position, ['portfolio']);
    const and: Filter[] = [];
    if (query.filter.partnershipId) and.push({ partnershipId: query.filter.partnershipId });
    if (query.filter.body) and.push({ body: query.filter.body });
    if (query.filter.outcome) and.push({ outcome: query.filter.outcome });
    // Newest first, in the store's global order.
    const page = await findPage<DecisionDoc>(this.store, DECISIONS, { filter: { and }, sort: [{ field: 'position', direction: 'desc' }], ...paging });
    return toConnection(page, (doc) => doc);
  }
}
