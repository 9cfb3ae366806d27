import type { ReadModelStore } from '@ppl/read-model';
import type { Projection } from './runner/projection';
import { auditTimelineProjection } from './audit-timeline/audit-timeline.projection';
import { organizationsProjection } from './organisations/organisations.projection';
import { portfolioProjection } from './portfolio/portfolio.projection';

export interface ReadSideOptions {
  /**
   * The event store answers the audit timeline itself (the embedded SQLite store): the
   * `auditTimeline` projection is then neither run nor rebuilt.
   */
  readonly timelineInStore: boolean;
}

/** Name of the projection that copies every event into the read model for the audit timeline. */
export const AUDIT_TIMELINE_PROJECTION = auditTimelineProjection.name;

/** Whether the configured event store answers the audit timeline itself: the embedded SQLite store does; EventStoreDB cannot search by actor or type. */
export function timelineInStore(eventStore: 'sqlite' | 'eventstoredb'): boolean {
  return eventStore === 'sqlite';
}

/** Every projection of the read side, as the service, the projector and the rebuild CLI run them. */
export function readSideProjections(options: ReadSideOptions): readonly Projection[] {
  return options.timelineInStore
    ? [portfolioProjection, organizationsProjection]
    : [portfolioProjection, organizationsProjection, auditTimelineProjection];
}

/** Says why a projection name is not run here, when it is one the configuration leaves out. */
export function notRunHere(name: string, options: ReadSideOptions): string | undefined {
  return options.timelineInStore && name === AUDIT_TIMELINE_PROJECTION
    ? `${name} is not a projection with the embedded event store (EVENT_STORE=sqlite): the audit timeline is served by the event store itself, always current, so there is nothing to rebuild`
    : undefined;
}

/**
 * A read model that still holds a projection this configuration does not run (the audit
 * timeline's copy, once the event store answers it): derived data, dropped. Returns the names
 * dropped.
 */
export async function dropUnusedProjections(
  store: Pick<ReadModelStore, 'describe' | 'drop'>,
  options: ReadSideOptions,
  log: (message: string) => void,
): Promise<string[]> {
  const dropped: string[] = [];
  if (!options.timelineInStore) return dropped;
  const state = await store.describe(AUDIT_TIMELINE_PROJECTION);
  if (state.active === undefined && state.shadow === undefined) return dropped;
  log(`dropping the read model's ${AUDIT_TIMELINE_PROJECTION} copy: the audit timeline is served by the event store itself (EVENT_STORE=sqlite); the copy is derived, nothing is lost`);
  await store.drop(AUDIT_TIMELINE_PROJECTION);
  dropped.push(AUDIT_TIMELINE_PROJECTION);
  return dropped;
}
