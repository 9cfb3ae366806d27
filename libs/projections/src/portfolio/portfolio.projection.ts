/**
 * The portfolio projection: the board's row per partnership, and — from the same fold — the
 * escalation register, the decision register and the running summary counts.
 *
 * How: each partnership event is folded with the domain's own `evolve` into the stored
 * PartnershipState (`portfolio_state`), and the row is `partnershipView(state, strategy, asOf)`.
 * Escalation and decision documents are the entries of that state which the event changed,
 * so the row's open escalations and the register agree at every checkpoint (one projection,
 * one checkpoint). Strategy events (`strategy-*`) update the strategy copy in `portfolio_meta`;
 * when themes or thresholds change, every row is re-derived (a fan-out, rare).
 *
 * Time (see partnership-view.ts): a row is computed as of `asOf` = the latest business time of
 * the partnership's events (never the wall clock: a rebuild gives identical rows). Queries
 * finish it at their own clock with `viewAt` and filter on the stored deadlines
 * (`signalDueAt.*`, `earliestOpenDueAt`), so days in phase, STAGNATION / NO_DOING /
 * NOT_EVALUATED and overdue escalations are exact at query time; the scheduler's
 * `reviewPartnership` events refresh what has a sliding window (ambition strength's "doing").
 *
 * The summary document keeps counts by phase, theme and origin, open escalations by body and
 * health sums per perspective (partnerships not ENDED), updated by subtracting the old row's contribution and adding the
 * new one's (read, compute, put: exact under the runner's exactly-once commits).
 */
import {
  deciders,
  initialPartnershipState,
  initialStrategyState,
  latest,
  PERSPECTIVES,
  type PartnershipEvent,
  type PartnershipState,
  type RequestedChange,
  type StrategyEvent,
  type StrategyState,
} from '@ppl/domain';
import type { RecordedEvent } from '@ppl/event-store';
import { defineCollection, put, type Change, type Document, type JsonValue, type Page } from '@ppl/read-model';
import { defineProjection, type ProjectionFold, type ProjectionView } from '../runner/projection';
import { businessTimeOf, domainEventOf, idOfStream } from '../support/domain-event';
import { partnershipView, type PartnershipView } from './partnership-view';

export const PORTFOLIO = 'portfolio';
export const PORTFOLIO_STATE = 'portfolio_state';
export const PORTFOLIO_META = 'portfolio_meta';
export const ESCALATIONS = 'escalations';
export const DECISIONS = 'decisions';
export const STRATEGY_DOC = 'strategy';
export const SUMMARY_DOC = 'summary';

export const portfolioCollection = defineCollection({
  name: PORTFOLIO,
  indexes: {
    name: 'string',
    phase: 'string',
    themeId: 'string',
    origin: 'string',
    owningDepartmentId: 'string',
    partyOrganisationIds: 'string[]',
    signalCodes: 'string[]',
    openEscalationCount: 'number',
    openEscalationBodies: 'string[]',
    earliestOpenDueAt: 'string',
    healthMin: 'number',
    'ambitionStrength.strength': 'number',
    'signalDueAt.STAGNATION': 'string',
    'signalDueAt.NO_DOING': 'string',
    'signalDueAt.NOT_EVALUATED': 'string',
    phaseSince: 'string',
    lastActivityAt: 'string',
    position: 'number',
  },
});

export const escalationCollection = defineCollection({
  name: ESCALATIONS,
  indexes: {
    partnershipId: 'string',
    status: 'string',
    body: 'string',
    level: 'string',
    trigger: 'string',
    dueAt: 'string',
    raisedAt: 'string',
    raisedPosition: 'number',
  },
});

export const decisionCollection = defineCollection({
  name: DECISIONS,
  indexes: { partnershipId: 'string', body: 'string', outcome: 'string', at: 'string', position: 'number' },
});

const stateCollection = defineCollection({ name: PORTFOLIO_STATE, indexes: {} });
const metaCollection = defineCollection({ name: PORTFOLIO_META, indexes: {} });

export type PortfolioRow = PartnershipView & Document;

export interface EscalationDoc extends Document {
  id: string;
  partnershipId: string;
  partnershipName: string;
  escalationId: string;
  trigger: string;
  body: string;
  level: string;
  subject: string;
  ruleId: string | null;
  requestId: string | null;
  /** The one change the request it was raised by names (rule 3); null for other escalations and older requests. */
  requestedChange: (RequestedChange & JsonValue) | null;
  status: 'OPEN' | 'ACKNOWLEDGED' | 'DECIDED';
  raisedAt: string;
  dueAt: string;
  /** The domain's flag, set by a review once the deadline passed while open. */
  overdueMarked: boolean;
  resolvedAt: string | null;
  resolvedBy: string | null;
  decisionId: string | null;
  /** Global positions of the EscalationRaised event and of the event that resolved it. */
  raisedPosition: number;
  resolvedPosition: number | null;
}

export interface DecisionDoc extends Document {
  id: string;
  partnershipId: string;
  partnershipName: string;
  decisionId: string;
  body: string;
  requestId: string | null;
  escalationId: string | null;
  subject: string | null;
  outcome: string;
  rationale: string;
  conditions: { conditionId: string; description: string; met: boolean; metBy: string | null; metAt: string | null; note: string | null }[];
  unmetConditions: number;
  decidedBy: string;
  at: string;
  revision: number;
  usedBy: { eventType: string; revision: number } | null;
  /** Global position of the DecisionRecorded event. */
  position: number;
}

export type Tally = {
  key: string;
  count: number;
};

export interface SummaryDoc extends Document {
  id: string;
  partnerships: number;
  byPhase: Tally[];
  byTheme: Tally[];
  byOrigin: Tally[];
  openEscalationsByBody: Tally[];
  /** Per perspective: sum of health over rows that have one, and how many. */
  health: { perspective: string; sum: number; count: number }[];
}

/** The partnership's folded domain state, beside its row (same commit). */
export interface StateDoc extends Document {
  id: string;
  state: PartnershipState & JsonValue;
}

export interface StrategyDoc extends Document {
  id: string;
  strategy: StrategyState & JsonValue;
}

export const escalationDocId = (partnershipId: string, escalationId: string): string => `${partnershipId}/${escalationId}`;
export const decisionDocId = (partnershipId: string, decisionId: string): string => `${partnershipId}/${decisionId}`;

export const portfolioProjection = defineProjection({
  name: 'portfolio',
  // 2: escalations carry the change their request names (requestedChange).
  version: 2,
  collections: [portfolioCollection, stateCollection, metaCollection, escalationCollection, decisionCollection],
  filter: { streamPrefixes: ['partnership-', 'strategy-'] },
  async apply(event: RecordedEvent, view: ProjectionView): Promise<Change[]> {
    const domain = domainEventOf(event);
    if (domain === null) return [];
    if (event.streamId.startsWith('strategy-')) return applyStrategy(domain as StrategyEvent, view);
    return applyPartnership(event, domain as PartnershipEvent, view);
  },
  /** A strategy event may re-derive every row (with view.find): never part of a batch or fold. */
  appliesAlone: (event: RecordedEvent): boolean => event.streamId.startsWith('strategy-'),
  /** Partnership events, folded per partnership; the rows are derived by `changes` (also the runner's applyBatch). */
  startFold: (): ProjectionFold => new PortfolioFold(),
});

async function strategyOf(view: ProjectionView): Promise<StrategyState | undefined> {
  return (await view.get<StrategyDoc>(PORTFOLIO_META, STRATEGY_DOC))?.strategy;
}

async function applyStrategy(event: StrategyEvent, view: ProjectionView): Promise<Change[]> {
  const before = (await strategyOf(view)) ?? initialStrategyState;
  const after = deciders.strategy.evolve(before, event);
  const changes: Change[] = [put(PORTFOLIO_META, STRATEGY_DOC, { id: STRATEGY_DOC, strategy: after as StrategyState & JsonValue })];
  const derivedFrom = (s: StrategyState) => JSON.stringify([s.thresholds, s.themes]);
  if (derivedFrom(before) === derivedFrom(after)) return changes;
  // Themes or thresholds changed: re-derive every row (as of its own asOf), and the summary.
  let summary = emptySummary();
  let after_: string | null = null;
  do {
    const page: Page<StateDoc> = await view.find<StateDoc>(PORTFOLIO_STATE, { first: 500, after: after_ });
    for (const doc of page.items) {
      const old = await view.get<PortfolioRow>(PORTFOLIO, doc.id);
      if (!old) continue;
      const row = partnershipView(doc.state, after, old.asOf, { position: old.position, lastActivityAt: old.lastActivityAt });
      summary = tallyRow(summary, row, 1);
      changes.push(put(PORTFOLIO, doc.id, row as PortfolioRow));
    }
    after_ = page.hasNextPage ? page.endCursor : null;
  } while (after_ !== null);
  changes.push(put(PORTFOLIO_META, SUMMARY_DOC, summary));
  return changes;
}

async function applyPartnership(recorded: RecordedEvent, event: PartnershipEvent, view: ProjectionView): Promise<Change[]> {
  const id = idOfStream(recorded.streamId, 'partnership-');
  const stored = await view.get<StateDoc>(PORTFOLIO_STATE, id);
  const before: PartnershipState = stored?.state ?? initialPartnershipState;
  const state = deciders.partnership.evolve(before, event);
  if (!state.exists) return [];
  const oldRow = await view.get<PortfolioRow>(PORTFOLIO, id);
  const at = businessTimeOf(recorded, event);
  const asOf = latest(oldRow?.asOf ?? null, at) ?? at;
  const row = partnershipView(state, await strategyOf(view), asOf, {
    position: recorded.position,
    lastActivityAt: latest(oldRow?.lastActivityAt ?? null, at),
  });
  const summaryBefore = (await view.get<SummaryDoc>(PORTFOLIO_META, SUMMARY_DOC)) ?? emptySummary();
  const summary = tallyRow(oldRow ? tallyRow(summaryBefore, oldRow, -1) : summaryBefore, row, 1);
  return [
    put(PORTFOLIO_STATE, id, { id, state: state as PartnershipState & JsonValue }),
    put(PORTFOLIO, id, row as PortfolioRow),
    put(PORTFOLIO_META, SUMMARY_DOC, summary),
    ...(await registerChanges(id, before, state, recorded.position, (collection, docId) => view.get(collection, docId))),
  ];
}

/** A partnership's fold over the events since the last commit. */
interface Fold {
  readonly id: string;
  state: PartnershipState;
  readonly oldRow: PortfolioRow | undefined;
  asOf: string | null;
  lastActivityAt: string | null;
  position: number;
  changed: boolean;
}

/**
 * The same documents as `applyPartnership` event by event, derived once per commit: each
 * partnership's events are folded in memory (state, asOf, last activity, position), the
 * escalation and decision documents are written as of the event that changed them (the last
 * such event wins, as it would event by event); `changes` then derives each touched
 * partnership's row once and the summary trades each old row for its new one.
 */
class PortfolioFold implements ProjectionFold {
  private readonly folds = new Map<string, Fold>();
  private readonly registers = new Map<string, Change>();

  get size(): number {
    return this.folds.size + this.registers.size;
  }

  async add(events: readonly RecordedEvent[], view: ProjectionView): Promise<void> {
    const registered = async <T extends Document>(collection: string, docId: string): Promise<T | undefined> => {
      const pending = this.registers.get(`${collection}/${docId}`);
      if (pending !== undefined) return (pending as unknown as { doc: T }).doc;
      return view.get<T>(collection, docId);
    };
    for (const recorded of events) {
      const event = domainEventOf(recorded) as PartnershipEvent | null;
      if (event === null) continue;
      const id = idOfStream(recorded.streamId, 'partnership-');
      let fold = this.folds.get(id);
      if (fold === undefined) {
        const oldRow = await view.get<PortfolioRow>(PORTFOLIO, id);
        fold = {
          id,
          state: (await view.get<StateDoc>(PORTFOLIO_STATE, id))?.state ?? initialPartnershipState,
          oldRow,
          asOf: oldRow?.asOf ?? null,
          lastActivityAt: oldRow?.lastActivityAt ?? null,
          position: -1,
          changed: false,
        };
        this.folds.set(id, fold);
      }
      const before = fold.state;
      const state = deciders.partnership.evolve(before, event);
      // Event by event, a state that does not exist yet is not stored (the next event folds the old one).
      if (!state.exists) continue;
      const at = businessTimeOf(recorded, event);
      fold.state = state;
      // Mostly the same time (both the latest event's): then one comparison gives both.
      const same = fold.asOf === fold.lastActivityAt;
      fold.asOf = latest(fold.asOf, at) ?? at;
      fold.lastActivityAt = same ? fold.asOf : latest(fold.lastActivityAt, at);
      fold.position = recorded.position;
      fold.changed = true;
      // The domain's evolve keeps the lists it did not change: most events touch neither register.
      if (before.escalations === state.escalations && before.decisions === state.decisions) continue;
      for (const change of await registerChanges(id, before, state, recorded.position, registered)) {
        this.registers.set(`${change.collection}/${change.id}`, change);
      }
    }
  }

  async changes(view: ProjectionView): Promise<Change[]> {
    const strategy = await strategyOf(view);
    let summary = (await view.get<SummaryDoc>(PORTFOLIO_META, SUMMARY_DOC)) ?? emptySummary();
    const changes: Change[] = [];
    for (const fold of this.folds.values()) {
      if (!fold.changed) continue;
      const row = partnershipView(fold.state, strategy, fold.asOf as string, { position: fold.position, lastActivityAt: fold.lastActivityAt });
      summary = tallyRow(fold.oldRow ? tallyRow(summary, fold.oldRow, -1) : summary, row, 1);
      changes.push(put(PORTFOLIO_STATE, fold.id, { id: fold.id, state: fold.state as PartnershipState & JsonValue }), put(PORTFOLIO, fold.id, row as PortfolioRow));
    }
    if (changes.length > 0) changes.push(put(PORTFOLIO_META, SUMMARY_DOC, summary));
    return [...changes, ...this.registers.values()];
  }
}

/**
 * Entries of `after` that differ from `before` (by id). The domain's evolve keeps the object of
 * an entry it did not change, so the same object means unchanged; other entries are compared
 * by value.
 */
function changedEntries<T>(before: readonly T[], after: readonly T[], idOf: (entry: T) => string): T[] {
  if (before === after) return [];
  const old = new Map(before.map((entry) => [idOf(entry), entry]));
  return after.filter((entry) => {
    const previous = old.get(idOf(entry));
    return previous !== entry && (previous === undefined || JSON.stringify(previous) !== JSON.stringify(entry));
  });
}

/** Escalation and decision documents for the entries of the state this event changed. */
async function registerChanges(
  partnershipId: string,
  before: PartnershipState,
  after: PartnershipState,
  position: number,
  lookup: <T extends Document>(collection: string, docId: string) => Promise<T | undefined>,
): Promise<Change[]> {
  const changes: Change[] = [];
  const name = after.profile?.name ?? partnershipId;
  const knownEscalations = new Set(before.escalations.map((e) => e.escalationId));
  for (const e of changedEntries(before.escalations, after.escalations, (x) => x.escalationId)) {
    const docId = escalationDocId(partnershipId, e.escalationId);
    const existing = knownEscalations.has(e.escalationId) ? await lookup<EscalationDoc>(ESCALATIONS, docId) : undefined;
    const doc: EscalationDoc = {
      id: docId,
      partnershipId,
      partnershipName: name,
      escalationId: e.escalationId,
      trigger: e.trigger,
      body: e.body,
      level: e.level,
      subject: e.subject,
      ruleId: e.ruleId,
      requestId: e.requestId,
      requestedChange: (e.requestId === null ? null : (after.requests.find((r) => r.requestId === e.requestId)?.change ?? null)) as EscalationDoc['requestedChange'],
      status: e.status,
      raisedAt: e.raisedAt,
      dueAt: e.dueAt,
      overdueMarked: e.overdue,
      resolvedAt: e.resolvedAt,
      resolvedBy: e.resolvedBy,
      decisionId: e.decisionId,
      raisedPosition: existing?.raisedPosition ?? position,
      resolvedPosition: e.status === 'OPEN' ? null : (existing?.resolvedPosition ?? position),
    };
    changes.push(put(ESCALATIONS, docId, doc));
  }
  const knownDecisions = new Set(before.decisions.map((d) => d.decisionId));
  for (const d of changedEntries(before.decisions, after.decisions, (x) => x.decisionId)) {
    const docId = decisionDocId(partnershipId, d.decisionId);
    const existing = knownDecisions.has(d.decisionId) ? await lookup<DecisionDoc>(DECISIONS, docId) : undefined;
    const doc: DecisionDoc = {
      id: docId,
      partnershipId,
      partnershipName: name,
      decisionId: d.decisionId,
      body: d.body,
      requestId: d.requestId,
      escalationId: d.escalationId,
      subject: d.subject,
      outcome: d.outcome,
      rationale: d.rationale,
      conditions: d.conditions.map((c) => ({ ...c })),
      unmetConditions: d.conditions.filter((c) => !c.met).length,
      decidedBy: d.decidedBy,
      at: d.at,
      revision: d.revision,
      usedBy: d.usedBy ? { ...d.usedBy } : null,
      position: existing?.position ?? position,
    };
    changes.push(put(DECISIONS, docId, doc));
  }
  return changes;
}

export function emptySummary(): SummaryDoc {
  return {
    id: SUMMARY_DOC,
    partnerships: 0,
    byPhase: [],
    byTheme: [],
    byOrigin: [],
    openEscalationsByBody: [],
    health: PERSPECTIVES.map((perspective) => ({ perspective, sum: 0, count: 0 })),
  };
}

function bump(tallies: Tally[], key: string, delta: number): Tally[] {
  const found = tallies.some((t) => t.key === key);
  const next = found ? tallies.map((t) => (t.key === key ? { key, count: t.count + delta } : t)) : [...tallies, { key, count: delta }];
  return next.filter((t) => t.count !== 0).sort((a, b) => a.key.localeCompare(b.key));
}

const round = (n: number): number => Math.round(n * 1e9) / 1e9;

/** Adds (sign 1) or removes (sign −1) one row's contribution to the summary. */
export function tallyRow(summary: SummaryDoc, row: PartnershipView, sign: 1 | -1): SummaryDoc {
  let openByBody = summary.openEscalationsByBody;
  for (const e of row.openEscalations) openByBody = bump(openByBody, e.body, sign);
  return {
    ...summary,
    partnerships: summary.partnerships + sign,
    byPhase: bump(summary.byPhase, row.phase, sign),
    byTheme: bump(summary.byTheme, row.themeId, sign),
    byOrigin: bump(summary.byOrigin, row.origin, sign),
    openEscalationsByBody: openByBody,
    // An ENDED partnership is no longer steered: its last health would skew the average.
    health: summary.health.map((h) => {
      const value = row.phase === 'ENDED' ? null : row.health.find((x) => x.perspective === h.perspective)?.health ?? null;
      return value === null ? h : { perspective: h.perspective, sum: round(h.sum + sign * value), count: h.count + sign };
    }),
  };
}
