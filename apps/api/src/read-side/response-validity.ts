import { join } from 'node:path';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import Database from 'better-sqlite3';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { EVENT_STORE, type EventStore } from '@ppl/event-store';
import { readSideProjections, timelineInStore, TIME_DRIVEN_SIGNALS, type PartnershipView } from '@ppl/projections';
import { READ_MODEL_STORE, type ReadModelStore } from '@ppl/read-model';

const DAY_MS = 86_400_000;

/** The state of the whole read side a query may read: every projection's active copy and checkpoint. */
export interface ReadSideVersion {
  /** Changes whenever any projection commits (its checkpoint) or a rebuild swaps a copy in (its generation). */
  readonly key: string;
  /** The lowest checkpoint: every projection reflects the store at least up to this position. */
  readonly position: number;
}

/**
 * Reads the read side's version from the store itself (so it holds whether the projections run
 * on the event loop, on a worker thread or in a separate projector). Any append (a
 * PersonForgotten included) moves the version: once projected by the `auditTimeline` projection,
 * which reads every event, or, where the event store answers the audit timeline itself (SQLite),
 * at once, as the version then includes the store's head position.
 *
 * On the embedded read model the version read (three generation look-ups) is skipped while
 * SQLite's `PRAGMA data_version`, on a connection of its own, says no connection committed
 * anything to the file since it was last read: any commit by the projections (this process, its
 * worker thread or a separate projector) or a rebuild's swap changes it. The pragma is read
 * before the version, so a remembered version is never older than the file it stands for.
 */
@Injectable()
export class ReadSideVersions implements OnModuleDestroy {
  private connection: Database.Database | undefined;
  private dataVersion: Database.Statement | undefined;
  private remembered: { dataVersion: number; version: ReadSideVersion | null } | undefined;
  private readonly timelineInStore: boolean;

  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {
    this.timelineInStore = timelineInStore(config.EVENT_STORE);
  }

  /** Null while a projection has no active copy yet (nothing is cacheable then). */
  async current(): Promise<ReadSideVersion | null> {
    const version = await this.readModelVersion();
    if (version === null || !this.timelineInStore) return version;
    // No projection reads every event any more: the store's head stands for the audit timeline.
    return { key: `${version.key},events=${await this.events.headPosition()}`, position: version.position };
  }

  private async readModelVersion(): Promise<ReadSideVersion | null> {
    const dataVersion = this.fileVersion();
    if (dataVersion !== undefined && this.remembered?.dataVersion === dataVersion) return this.remembered.version;
    const version = await this.read();
    if (dataVersion !== undefined) this.remembered = { dataVersion, version };
    return version;
  }

  onModuleDestroy(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  private async read(): Promise<ReadSideVersion | null> {
    const parts: string[] = [];
    let position = Number.POSITIVE_INFINITY;
    for (const projection of readSideProjections({ timelineInStore: this.timelineInStore })) {
      const { active } = await this.store.describe(projection.name);
      if (!active) return null;
      parts.push(`${projection.name}=${active.generation}:${active.checkpoint}`);
      position = Math.min(position, active.checkpoint);
    }
    return { key: parts.join(','), position };
  }

  /** The embedded read model's data_version (undefined on MongoDB, or if the file cannot be opened: then every request reads the version). */
  private fileVersion(): number | undefined {
    if (this.config.READ_MODEL !== 'embedded') return undefined;
    try {
      if (!this.dataVersion) {
        this.connection = new Database(join(this.config.dataDir, 'read-model.sqlite'), { fileMustExist: true });
        this.dataVersion = this.connection.prepare('PRAGMA data_version').pluck();
      }
      return this.dataVersion.get() as number;
    } catch {
      return undefined;
    }
  }
}

/**
 * What a read-side answer depends on besides the read model: the clock. Returns an instant
 * (epoch ms) before which `viewAt(view, t)` gives the same answer for every `t` from `from` on:
 * the earliest of the view's own time (before it the stored view is served as is), the next
 * whole day in phase, each time-driven signal's deadline and each open escalation's deadline.
 * Conservative: an instant earlier than the real change only shortens a cache entry's life.
 * `from` must not be later than the clock the answer was computed at.
 */
export function viewStableUntil(view: PartnershipView, from: number): number {
  let until = Number.POSITIVE_INFINITY;
  const consider = (iso: string | null | undefined): void => {
    if (iso === null || iso === undefined) return;
    const at = Date.parse(iso);
    if (Number.isNaN(at)) until = from; // a date we cannot read: not cacheable
    else if (at > from && at < until) until = at;
  };
  consider(view.asOf);
  const since = Date.parse(view.phaseSince);
  if (Number.isNaN(since)) return from;
  const nextDay = since + (Math.max(0, Math.floor((from - since) / DAY_MS)) + 1) * DAY_MS;
  if (nextDay < until) until = nextDay;
  for (const code of TIME_DRIVEN_SIGNALS) consider(view.signalDueAt?.[code]);
  for (const escalation of view.openEscalations ?? []) consider(escalation.dueAt);
  return until;
}

type Args = Record<string, unknown>;

/**
 * The read-side Query fields whose answers may be cached whole, each with the instant until
 * which its answer stays true at constant read-model state (a number ≤ `from` = not cacheable).
 * Every other Query field (time travel, the event-store audits, the summary stamped with its
 * clock, escalations flagged overdue at query time, the audit trail) is never cached.
 */
export const CACHEABLE_QUERIES: Readonly<Record<string, (args: Args, result: unknown, from: number) => number>> = {
  portfolio: (args, result, from) => {
    const filter = (args.filter ?? {}) as { hasOverdueEscalations?: boolean | null; signal?: string | null };
    // These filters are evaluated at the clock over the whole collection: which rows match moves with it.
    if (filter.hasOverdueEscalations !== null && filter.hasOverdueEscalations !== undefined) return from;
    if (filter.signal && (TIME_DRIVEN_SIGNALS as readonly string[]).includes(filter.signal)) return from;
    const nodes = (result as { nodes?: PartnershipView[] } | null)?.nodes ?? [];
    return nodes.reduce((until, view) => Math.min(until, viewStableUntil(view, from)), Number.POSITIVE_INFINITY);
  },
  partnership: (args, result, from) => {
    if (args.asOf !== null && args.asOf !== undefined) return from;
    if (args.atRevision !== null && args.atRevision !== undefined) return from;
    if (args.businessAsOf !== null && args.businessAsOf !== undefined) return from;
    return result ? viewStableUntil(result as PartnershipView, from) : Number.POSITIVE_INFINITY;
  },
  // No clock in these answers: true until the read model changes.
  decisions: () => Number.POSITIVE_INFINITY,
  // Nothing of their own moves with the clock; a partnership nested in them reports its own
  // validity under the same root field (OrganizationPartnershipResolver).
  organizations: () => Number.POSITIVE_INFINITY,
  organization: () => Number.POSITIVE_INFINITY,
  strategy: () => Number.POSITIVE_INFINITY,
  capability: () => Number.POSITIVE_INFINITY,
};
