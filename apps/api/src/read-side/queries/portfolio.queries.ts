import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { BODIES, SHAM_SIGNALS } from '@ppl/domain';
import {
  ESCALATIONS,
  PORTFOLIO,
  PORTFOLIO_META,
  STRATEGY_DOC,
  SUMMARY_DOC,
  TIME_DRIVEN_SIGNALS,
  emptySummary,
  viewAt,
  type PartnershipView,
  type PortfolioRow,
  type StrategyDoc,
  type SummaryDoc,
} from '@ppl/projections';
import { READ_MODEL_STORE, type Filter, type ReadModelStore, type SortKey } from '@ppl/read-model';
import { findPaging, pageWindow, toConnection, type Connection, type PageArgs } from '../connection';
import { PageCache } from '../page-cache';
import { ReadSideInputError } from '../read-side.errors';
import { ReadYourWrites } from '../read-your-writes';
import { capabilityView, type CapabilityView } from './strategy.queries';

export const SIGNAL_CODES: readonly string[] = [...SHAM_SIGNALS, 'IMBALANCE'];
const PHASES = ['EXPLORE', 'SHARE', 'AGREE', 'DESIGN', 'EXECUTE', 'ENDED'];

export interface PortfolioFilterInput {
  phase?: string[] | null;
  themeId?: string[] | null;
  origin?: string | null;
  partnerOrganizationId?: string | null;
  departmentId?: string | null;
  hasOpenEscalations?: boolean | null;
  hasOverdueEscalations?: boolean | null;
  signal?: string | null;
  healthBelow?: number | null;
  search?: string | null;
  includeEnded?: boolean | null;
}

export interface PortfolioOrderInput {
  field: 'NAME' | 'PHASE_SINCE' | 'LAST_ACTIVITY' | 'HEALTH' | 'AMBITION_STRENGTH' | 'OPEN_ESCALATIONS' | 'EARLIEST_DUE';
  direction?: 'ASC' | 'DESC' | null;
}

const ORDER_FIELDS: Record<PortfolioOrderInput['field'], string> = {
  NAME: 'name',
  PHASE_SINCE: 'phaseSince',
  LAST_ACTIVITY: 'lastActivityAt',
  HEALTH: 'healthMin',
  AMBITION_STRENGTH: 'ambitionStrength.strength',
  OPEN_ESCALATIONS: 'openEscalationCount',
  EARLIEST_DUE: 'earliestOpenDueAt',
};

export class PortfolioQuery {
  constructor(
    readonly filter: PortfolioFilterInput,
    readonly orderBy: PortfolioOrderInput[],
    readonly page: PageArgs,
    readonly position: number | undefined,
  ) {}
}

export class PortfolioSummaryQuery {
  constructor(readonly position: number | undefined) {}
}

export class PartnershipQuery {
  constructor(
    readonly id: string,
    readonly position: number | undefined,
  ) {}
}

/** A signal shows at `now` when stored, or (time-driven ones) when its deadline has passed. */
export function signalFilter(code: string, now: string): Filter {
  if (!SIGNAL_CODES.includes(code)) {
    throw new ReadSideInputError(`unknown signal ${code}`, [{ path: 'filter.signal', message: `one of ${SIGNAL_CODES.join(', ')}` }]);
  }
  if ((TIME_DRIVEN_SIGNALS as readonly string[]).includes(code)) {
    return { or: [{ signalCodes: { has: code } }, { [`signalDueAt.${code}`]: { lte: now } }] };
  }
  return { signalCodes: { has: code } };
}

/** The GraphQL filter as a read-model filter, evaluated at `now` for the time-driven parts. */
export function portfolioFilter(input: PortfolioFilterInput, now: string): Filter {
  const and: Filter[] = [];
  if (input.phase && input.phase.length > 0) {
    const unknown = input.phase.filter((p) => !PHASES.includes(p));
    if (unknown.length > 0) throw new ReadSideInputError(`unknown phase ${unknown.join(', ')}`, [{ path: 'filter.phase', message: PHASES.join(', ') }]);
    and.push({ phase: { in: input.phase } });
  } else if (!input.includeEnded) {
    // The phases other than ENDED, as a list the phase index can answer (a "not equal" cannot).
    and.push({ phase: { in: PHASES.filter((p) => p !== 'ENDED') } });
  }
  if (input.themeId && input.themeId.length > 0) and.push({ themeId: { in: input.themeId } });
  if (input.origin) and.push({ origin: input.origin });
  if (input.partnerOrganizationId) and.push({ partyOrganisationIds: { has: input.partnerOrganizationId } });
  if (input.departmentId) and.push({ owningDepartmentId: input.departmentId });
  if (input.hasOpenEscalations === true) and.push({ openEscalationCount: { gt: 0 } });
  if (input.hasOpenEscalations === false) and.push({ openEscalationCount: 0 });
  if (input.hasOverdueEscalations === true) and.push({ earliestOpenDueAt: { lt: now } });
  if (input.hasOverdueEscalations === false) and.push({ or: [{ earliestOpenDueAt: { exists: false } }, { earliestOpenDueAt: { gte: now } }] });
  if (input.signal) and.push(signalFilter(input.signal, now));
  if (input.healthBelow !== null && input.healthBelow !== undefined) {
    if (!Number.isFinite(input.healthBelow)) throw new ReadSideInputError('healthBelow must be a number', [{ path: 'filter.healthBelow', message: 'number' }]);
    and.push({ healthMin: { lt: input.healthBelow } });
  }
  if (input.search) {
    if (input.search.length > 200) throw new ReadSideInputError('search is at most 200 characters', [{ path: 'filter.search', message: 'at most 200 characters' }]);
    and.push({ name: { contains: input.search } });
  }
  return { and };
}

export function portfolioSort(orderBy: readonly PortfolioOrderInput[]): SortKey[] {
  if (orderBy.length === 0) return [{ field: 'name', direction: 'asc' }];
  if (orderBy.length > 3) throw new ReadSideInputError('orderBy takes at most 3 keys', [{ path: 'orderBy', message: 'at most 3 keys' }]);
  return orderBy.map((o) => ({ field: ORDER_FIELDS[o.field], direction: o.direction === 'DESC' ? 'desc' : 'asc' }));
}

export const nowIso = (): string => new Date().toISOString();

@QueryHandler(PortfolioQuery)
export class PortfolioHandler implements IQueryHandler<PortfolioQuery, Connection<PartnershipView>> {
  constructor(
    private readonly pages: PageCache,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute(query: PortfolioQuery): Promise<Connection<PartnershipView>> {
    const now = nowIso();
    const filter = portfolioFilter(query.filter, now);
    const sort = portfolioSort(query.orderBy);
    const paging = findPaging(pageWindow(query.page));
    await this.ryw.reach(query.position, ['portfolio']);
    const page = await this.pages.find<PortfolioRow>('portfolio', PORTFOLIO, { filter, sort, ...paging });
    return toConnection(page, (row) => viewAt(row, now));
  }
}

@QueryHandler(PartnershipQuery)
export class PartnershipHandler implements IQueryHandler<PartnershipQuery, PartnershipView | null> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute(query: PartnershipQuery): Promise<PartnershipView | null> {
    await this.ryw.reach(query.position, ['portfolio']);
    const row = await this.store.get<PortfolioRow>(PORTFOLIO, query.id);
    return row ? viewAt(row, nowIso()) : null;
  }
}

export interface PortfolioSummaryView {
  partnerships: number;
  byPhase: { key: string; count: number }[];
  byTheme: { key: string; count: number }[];
  byOrigin: { key: string; count: number }[];
  bySignal: { key: string; count: number }[];
  escalationsByBody: { body: string; open: number; overdue: number }[];
  averageHealth: { perspective: string; average: number | null; partnerships: number }[];
  capability: CapabilityView | null;
  at: string;
}

@QueryHandler(PortfolioSummaryQuery)
export class PortfolioSummaryHandler implements IQueryHandler<PortfolioSummaryQuery, PortfolioSummaryView> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute(query: PortfolioSummaryQuery): Promise<PortfolioSummaryView> {
    await this.ryw.reach(query.position, ['portfolio']);
    const now = nowIso();
    const summary = (await this.store.get<SummaryDoc>(PORTFOLIO_META, SUMMARY_DOC)) ?? emptySummary();
    const strategy = (await this.store.get<StrategyDoc>(PORTFOLIO_META, STRATEGY_DOC))?.strategy;
    const bySignal = [];
    for (const code of SIGNAL_CODES) {
      const count = await this.store.count(PORTFOLIO, { and: [{ phase: { ne: 'ENDED' } }, signalFilter(code, now)] });
      if (count > 0) bySignal.push({ key: code, count });
    }
    const escalationsByBody = [];
    for (const body of BODIES) {
      const open = summary.openEscalationsByBody.find((t) => t.key === body)?.count ?? 0;
      const overdue = open === 0 ? 0 : await this.store.count(ESCALATIONS, { status: 'OPEN', body, dueAt: { lt: now } });
      escalationsByBody.push({ body, open, overdue });
    }
    const latest = [...(strategy?.capabilityAssessments ?? [])].sort((a, b) => a.at.localeCompare(b.at)).at(-1);
    return {
      partnerships: summary.partnerships,
      byPhase: summary.byPhase,
      byTheme: summary.byTheme,
      byOrigin: summary.byOrigin,
      bySignal,
      escalationsByBody,
      averageHealth: summary.health.map((h) => ({
        perspective: h.perspective,
        average: h.count === 0 ? null : Math.round((h.sum / h.count) * 1000) / 1000,
        partnerships: h.count,
      })),
      capability: latest ? capabilityView(latest) : null,
      at: now,
    };
  }
}
