/**
 * How to write a projection (pure: event in, changes out).
 *
 * A projection turns events of the global stream into documents of its own read-model
 * collections. It declares:
 *   - `name` (stable; it keys the checkpoint) and `version` (bump it whenever the documents it
 *     produces change shape or meaning: on start the runner sees the stored copy was built by
 *     another version and rebuilds a shadow copy in the background, swapping it in once caught up);
 *   - `collections`, each with the fields queries may filter/sort on (`defineCollection`);
 *   - optionally a `filter` (event types and/or stream prefixes) so it is fed only what it needs;
 *   - `apply(event, view)`, returning the changes (`put`/`patch`/`remove` from @ppl/read-model).
 *
 * Rules for `apply`:
 *   - No side effects, no clock, no I/O except through `view`. It must be deterministic: a
 *     rebuild replays the same events and must produce the same documents.
 *   - Read current documents with `view.get` — it sees the writes of earlier events of the same
 *     batch, so never cache documents yourself. Compute the new value from what you read and
 *     `put`/`patch` it (no blind increments: the runner guarantees exactly-once application,
 *     the code stays correct if it is ever replayed into a fresh copy).
 *   - `view.find` queries the collection (declared fields only); it first commits the changes of
 *     the events before this one, so it is slower: use it for fan-out updates (e.g. rename an
 *     organisation on every partnership row listing it), not per event.
 *   - Throwing stops the projection (status FAILED, with the event's position): fix the code,
 *     bump the version if the output changed, restart. Events are never skipped silently.
 *   - Ignore events you don't know (`default: return []`): new event types appear over time.
 *   - Upcasting of old event schemas happens before `apply` (in the event store's read path).
 *
 * Example:
 *
 *   const portfolio = defineCollection({ name: 'portfolio', indexes: { name: 'string', phase: 'string', partyOrganisationIds: 'string[]' } });
 *   export const portfolioProjection = defineProjection({
 *     name: 'portfolio', version: 1, collections: [portfolio],
 *     filter: { streamPrefixes: ['partnership-'] },
 *     async apply(event, view) {
 *       const id = event.streamId.slice('partnership-'.length);
 *       switch (event.type) {
 *         case 'PartnershipProposed':
 *           return [put('portfolio', id, { id, name: (event.data as { name: string }).name, phase: 'EXPLORE', partyOrganisationIds: [] })];
 *         case 'PartyAdmitted': {
 *           const row = await view.get<PortfolioRow>('portfolio', id);
 *           const org = (event.data as { organisationId: string }).organisationId;
 *           return row ? [patch('portfolio', id, { partyOrganisationIds: [...row.partyOrganisationIds, org] })] : [];
 *         }
 *         default:
 *           return [];
 *       }
 *     },
 *   });
 */
import type { EventFilter, RecordedEvent } from '@ppl/event-store';
import type {
  Change,
  CollectionDefinition,
  Document,
  FindQuery,
  Page,
  ProjectionSchema,
} from '@ppl/read-model';

/** What `apply` may read: the projection's own collections, including the pending batch. */
export interface ProjectionView {
  /** The document as of just before this event (earlier events of the batch included). */
  get<T extends Document = Document>(collection: string, id: string): Promise<T | undefined>;
  /**
   * Query a collection of this projection. Commits the pending batch (events before this one)
   * first, so the answer includes their writes.
   */
  find<T extends Document = Document>(collection: string, query?: FindQuery): Promise<Page<T>>;
}

export interface Projection extends ProjectionSchema {
  readonly name: string;
  readonly version: number;
  readonly collections: readonly CollectionDefinition[];
  /** Only these event types / stream prefixes are fed to `apply`. Default: every event. */
  readonly filter?: EventFilter;
  apply(event: RecordedEvent, view: ProjectionView): Promise<readonly Change[]> | readonly Change[];
  /**
   * Optional, for speed: the changes of a run of consecutive events at once (two or more, in
   * order, none that `appliesAlone`). It must leave exactly the documents that applying each
   * event in turn with `apply` leaves — e.g. fold a document's events in memory and derive it
   * once, instead of once per event. Same rules as `apply`; `view.find` is not available (it
   * throws: such events must apply alone). When it throws, the runner applies the run's events
   * one by one with `apply`, so a failing event is still reported with its own position.
   */
  applyBatch?(events: readonly RecordedEvent[], view: ProjectionView): Promise<readonly Change[]> | readonly Change[];
  /** Events `applyBatch` never gets: applied alone with `apply` (e.g. those that use `view.find`). */
  appliesAlone?(event: RecordedEvent): boolean;
  /**
   * Optional, for rebuilds: a fold kept in memory across the pages of a replay, so that the
   * events between two commits are neither held nor derived page by page. The replay `add`s
   * each page's runs of events as they are read (then drops them) and asks for the `changes`
   * once, just before it commits. Adding runs `a` then `b` and taking the changes must leave
   * exactly the documents `applyBatch([...a, ...b])` leaves (the runner uses a fold that way
   * in place of `applyBatch` when a projection has no `applyBatch`). Same rules as `applyBatch`.
   * When it throws, the replay reads the events since its last commit again and applies them one
   * by one with `apply`, so a failing event is still reported with its own position.
   */
  startFold?(): ProjectionFold;
}

/** What a projection folds a replay's events into between two commits (see `startFold`). */
export interface ProjectionFold {
  /** Folds a run of consecutive events (in order, none that `appliesAlone`). */
  add(events: readonly RecordedEvent[], view: ProjectionView): Promise<void> | void;
  /** How many documents the fold holds in memory: the replay commits before it grows too large. */
  readonly size: number;
  /** The changes of every event added: asked once, then the fold is dropped. */
  changes(view: ProjectionView): Promise<readonly Change[]> | readonly Change[];
}

/** Identity, for inference and readability. */
export function defineProjection<P extends Projection>(projection: P): P {
  return projection;
}
