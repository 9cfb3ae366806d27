import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';
import type { EventFilter, RecordedEvent } from '@ppl/event-store';
import { validationError } from './subscription-errors';
import { SubscriptionFeeds } from './subscription-feeds';
import type { SubscriptionContext } from './ws-connections';

interface EventStreamFilterInput {
  readonly streamId?: string | null;
  readonly streamPrefix?: string | null;
  readonly types?: readonly string[] | null;
}

const PARTNERSHIP_PREFIX = 'partnership-';
const MAX_TYPES = 100;

/** The escalation fields of an EscalationRaised event (libs/domain validated them when recorded). */
interface EscalationRaisedData {
  readonly escalationId: string;
  readonly trigger: string;
  readonly body: string;
  readonly level: string;
  readonly subject: string;
  readonly ruleId: string | null;
  readonly requestId: string | null;
  readonly dueAt: string;
  readonly at?: string;
}

/**
 * Subscription resolvers: they translate arguments into a store subscription and an EventFeed
 * (which bounds what is read ahead for each subscriber); they decide nothing about events.
 */
@Resolver('Subscription')
export class SubscriptionsResolver {
  constructor(private readonly feeds: SubscriptionFeeds) {}

  @Subscription('events')
  events(
    @Args('after') after: number | null | undefined,
    @Args('filter') filter: EventStreamFilterInput | null | undefined,
    @Context() context: SubscriptionContext,
  ): AsyncIterableIterator<{ events: { cursor: number; event: RecordedEvent } }> {
    const start = cursorOf(after);
    const streamId = nonEmpty(filter?.streamId, 'filter.streamId');
    const streamPrefix = nonEmpty(filter?.streamPrefix, 'filter.streamPrefix');
    const types = filter?.types ?? undefined;
    if (types && types.length > MAX_TYPES) throw validationError(`At most ${MAX_TYPES} types`, 'filter.types');
    if (types?.some((t) => t.length === 0)) throw validationError('Event types must not be empty', 'filter.types');
    const storeFilter: EventFilter = {
      ...(types ? { types } : {}),
      ...(streamId ? { streamPrefixes: [streamId] } : streamPrefix ? { streamPrefixes: [streamPrefix] } : {}),
    };
    const accept =
      streamId || streamPrefix
        ? (e: RecordedEvent) => (!streamId || e.streamId === streamId) && (!streamPrefix || e.streamId.startsWith(streamPrefix))
        : undefined;
    return this.feeds.open('events', context, start, storeFilter, accept, (event) => ({
      events: { cursor: event.position, event },
    }));
  }

  @Subscription('escalationRaised')
  escalationRaised(
    @Args('body') body: string | null | undefined,
    @Args('after') after: number | null | undefined,
    @Context() context: SubscriptionContext,
  ): AsyncIterableIterator<{ escalationRaised: Record<string, unknown> }> {
    const start = cursorOf(after);
    const accept = body ? (e: RecordedEvent) => (e.data as EscalationRaisedData).body === body : undefined;
    return this.feeds.open(
      'escalationRaised',
      context,
      start,
      { types: ['EscalationRaised'], streamPrefixes: [PARTNERSHIP_PREFIX] },
      accept,
      (event) => {
        const data = event.data as EscalationRaisedData;
        return {
          escalationRaised: {
            cursor: event.position,
            partnershipId: event.streamId.slice(PARTNERSHIP_PREFIX.length),
            escalationId: data.escalationId,
            trigger: data.trigger,
            body: data.body,
            level: data.level,
            subject: data.subject,
            requestId: data.requestId,
            ruleId: data.ruleId,
            dueAt: data.dueAt,
            raisedAt: data.at ?? event.metadata.businessTime ?? null,
            event,
          },
        };
      },
    );
  }

  @Subscription('partnershipChanged')
  partnershipChanged(
    @Args('id') id: string,
    @Args('after') after: number | null | undefined,
    @Context() context: SubscriptionContext,
  ): AsyncIterableIterator<{ partnershipChanged: Record<string, unknown> }> {
    const start = cursorOf(after);
    const partnershipId = nonEmpty(id, 'id');
    const streamId = `${PARTNERSHIP_PREFIX}${partnershipId}`;
    return this.feeds.open(
      'partnershipChanged',
      context,
      start,
      { streamPrefixes: [streamId] },
      (e) => e.streamId === streamId,
      (event) => ({
        partnershipChanged: {
          cursor: event.position,
          partnershipId,
          revision: event.revision,
          position: event.position,
          eventType: event.type,
          event,
        },
      }),
    );
  }
}

function cursorOf(after: number | null | undefined): number {
  if (after === null || after === undefined) return 0;
  if (!Number.isSafeInteger(after) || after < 0) throw validationError('after must be a position (an integer >= 0)', 'after');
  return after;
}

function nonEmpty(value: string | null | undefined, path: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.length === 0) throw validationError('must not be empty', path);
  return value;
}
