import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { EVENT_STORE, type EventFilter, type EventStore, type RecordedEvent } from '@ppl/event-store';
import { LOGGER } from '../observability/logger';
import { EventFeed } from './event-feed';
import { slowConsumerError, subscriptionEndedError } from './subscription-errors';
import { type SubscriptionOperation, SubscriptionMetrics } from './subscription-metrics';
import type { SubscriptionContext } from './ws-connections';

/**
 * Opens a subscriber's feed: a store subscription from its cursor behind an EventFeed (bounded
 * buffer, slow-consumer close), counted in the metrics and in its connection's state.
 */
@Injectable()
export class SubscriptionFeeds {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: SubscriptionMetrics,
  ) {}

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
    const source = this.store.subscribeToAll({ after, filter });
    this.metrics.subscriptionStarted(operation);
    connection?.subscriptionStarted();
    let ended = false;
    const feed = new EventFeed<T>(source, {
      after,
      capacity,
      accept,
      map: (event) => {
        this.metrics.delivered.inc({ operation });
        return map(event);
      },
      slowConsumerError: (cursor) => slowConsumerError(cursor, capacity),
      sourceEndedError: (cursor) => subscriptionEndedError(cursor),
      onOverflow: (cursor) => {
        this.logger.warn({ operation, cursor, subscriptionId: context.subscriptionId, buffer: capacity }, 'slow subscriber closed');
        connection?.slowConsumer(cursor, () => !ended);
      },
      onEnd: (reason) => {
        ended = true;
        this.metrics.subscriptionEnded(operation, reason);
        connection?.subscriptionEnded();
      },
    });
    return feed;
  }
}
