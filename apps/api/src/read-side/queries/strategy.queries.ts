import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CapabilityAssessment, StrategyState } from '@ppl/domain';
import { PORTFOLIO_META, STRATEGY_DOC, type StrategyDoc } from '@ppl/projections';
import { READ_MODEL_STORE, type ReadModelStore } from '@ppl/read-model';
import { ReadYourWrites } from '../read-your-writes';

export class StrategyQuery {
  constructor(readonly position: number | undefined) {}
}

export class CapabilityQuery {
  constructor(readonly position: number | undefined) {}
}

export interface CapabilityView {
  assessmentId: string;
  conditions: { condition: string; maturity: number; notes: string | null }[];
  notes: string | null;
  assessedBy: string;
  at: string;
}

export function capabilityView(a: CapabilityAssessment): CapabilityView {
  return {
    assessmentId: a.assessmentId,
    conditions: Object.entries(a.conditions).map(([condition, score]) => ({ condition, maturity: score.maturity, notes: score.notes ?? null })),
    notes: a.notes ?? null,
    assessedBy: a.assessedBy,
    at: a.at,
  };
}

async function strategyOf(store: ReadModelStore): Promise<StrategyState | undefined> {
  return (await store.get<StrategyDoc>(PORTFOLIO_META, STRATEGY_DOC))?.strategy;
}

@QueryHandler(StrategyQuery)
export class StrategyHandler implements IQueryHandler<StrategyQuery> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute(query: StrategyQuery) {
    await this.ryw.reach(query.position, ['portfolio']);
    const s = await strategyOf(this.store);
    if (!s || !s.defined) return null;
    return { ...s, capabilityAssessments: s.capabilityAssessments.map(capabilityView) };
  }
}

@QueryHandler(CapabilityQuery)
export class CapabilityHandler implements IQueryHandler<CapabilityQuery> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute(query: CapabilityQuery): Promise<CapabilityView | null> {
    await this.ryw.reach(query.position, ['portfolio']);
    const latest = [...((await strategyOf(this.store))?.capabilityAssessments ?? [])].sort((a, b) => a.at.localeCompare(b.at)).at(-1);
    return latest ? capabilityView(latest) : null;
  }
}
