import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { EVENT_STORE, type EventFilter, type EventStore, type RecordedEvent } from '@ppl/event-store';
import { LOGGER } from '../observability/logger';
import { EventFeed } from './event-feed';
import { SharedTail, matchesFilter } from './shared-tail';
import { slowConsumerError, subscriptionEndedError } from './subscription-errors';
import { type SubscriptionOperation, SubscriptionMetrics } from './subscription-metrics';
import type { SubscriptionContext } from './ws-connections';

/** Events the shared tail retains for subscribers joining it. */
const TAIL_WINDOW = 256;

/**
 * Opens a subscriber's feed: an EventFeed (bounded buffer, slow-consumer close) that catches up
 * from its cursor by its own reads, then is fed by the one shared tail of the store's global
 * stream; counted in the metrics and in its connection's state.
 */
@Injectable()
export class SubscriptionFeeds implements OnModuleDestroy {
  private readonly active = new Set<{ feed: EventFeed<unknown>; operation: SubscriptionOperation; context: SubscriptionContext }>();
  private readonly sweep: NodeJS.Timeout;
  /** One read of the store's global stream for every subscriber that has caught up. */
  private readonly tail: SharedTail;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: SubscriptionMetrics,
  ) {
    this.tail = new SharedTail(store, TAIL_WINDOW);
    const stallMs = config.SUBSCRIPTION_STALL_TIMEOUT_SECONDS * 1000;
    this.sweep = setInterval(() => this.closeStalled(stallMs), Math.min(1000, stallMs / 2));
    this.sweep.unref();
    metrics.feedsSource = () => {
      let buffered = 0;
      let catchingUp = 0;
      for (const { feed } of this.active) {
        buffered += feed.buffered;
        if (!feed.live) catchingUp++;
      }
      return { buffered, catchingUp };
    };
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweep);
    await this.tail.stop();
  }

  /** Closes every feed whose consumer took nothing for `stallMs` while events waited for it. */
  closeStalled(stallMs: number): void {
    const now = Date.now();
    for (const entry of this.active) {
      const stalled = entry.feed.stalledFor(now);
      if (stalled < stallMs) continue;
      const cursor = entry.feed.closeSlowConsumer();
      this.metrics.slowConsumers.inc({ operation: entry.operation });
      this.logger.warn(
        { operation: entry.operation, cursor, subscriptionId: entry.context.subscriptionId, stalledMs: stalled, buffered: this.config.SUBSCRIPTION_BUFFER },
        'slow subscriber closed',
      );
      entry.context.connection?.slowConsumer(cursor);
    }
  }

  open<T>(
    operation: SubscriptionOperation,
    context: SubscriptionContext,
    after: number,
    filter: EventFilter,
    accept: ((event: RecordedEvent) => boolean) | undefined,
    map: (event: RecordedEvent) => T,
  ): AsyncIterableIterator<T> {
    const capacity = this.config.SUBSCRIPTION_BUFFER;
    const connection = context.connection;
    this.metrics.subscriptionStarted(operation);
    connection?.subscriptionStarted();
    const feed = new EventFeed<T>(this.tail, {
      after,
      capacity,
      read: (from, limit) => this.store.readAll({ after: from, maxCount: limit, filter }),
      accept: accept ? (event) => matchesFilter(filter, event) && accept(event) : (event) => matchesFilter(filter, event),
      map: (event) => {
        this.metrics.delivered.inc({ operation });
        return map(event);
      },
      slowConsumerError: (cursor) => slowConsumerError(cursor, this.config.SUBSCRIPTION_STALL_TIMEOUT_SECONDS),
      sourceEndedError: (cursor) => subscriptionEndedError(cursor),
      onSourceError: (error, cursor) =>
        this.logger.warn({ err: error, operation, cursor, subscriptionId: context.subscriptionId }, 'the event store failed under a subscription; it ends with SERVICE_UNAVAILABLE and its cursor'),
      onEnd: (reason) => {
        this.active.delete(entry);
        this.metrics.subscriptionEnded(operation, reason);
        connection?.subscriptionEnded();
      },
    });
    const entry = { feed: feed as EventFeed<unknown>, operation, context };
    this.active.add(entry);
    return feed;
  }
}
