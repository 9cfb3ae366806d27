import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { Metrics } from '../observability/metrics';
import type { FeedEnd } from './event-feed';

export type SubscriptionOperation = 'events' | 'escalationRaised' | 'partnershipChanged';

/**
 * Subscription metrics beside the shared `ppl_subscriptions_active{operation}` gauge, registered
 * in the service's one registry (GET /metrics).
 */
@Injectable()
export class SubscriptionMetrics {
  readonly started: Counter<'operation'>;
  readonly ended: Counter<'operation' | 'reason'>;
  readonly delivered: Counter<'operation'>;
  readonly slowConsumers: Counter<'operation'>;
  readonly connections: Gauge;
  readonly connectionsOpened: Counter;
  readonly connectionsRefused: Counter<'reason'>;
  readonly connectionsClosed: Counter<'reason'>;
  readonly sendQueueBytes: Gauge;
  readonly bufferedEvents: Gauge;
  readonly catchingUp: Gauge;
  /** Read at each scrape: set by GraphqlWsServer and SubscriptionFeeds. */
  sendQueueSource: () => number = () => 0;
  feedsSource: () => { buffered: number; catchingUp: number } = () => ({ buffered: 0, catchingUp: 0 });

  constructor(private readonly metrics: Metrics) {
    const registers = [metrics.registry];
    this.started = new Counter({
      name: 'ppl_subscriptions_started_total',
      help: 'GraphQL subscriptions started, by operation',
      labelNames: ['operation'] as const,
      registers,
    });
    this.ended = new Counter({
      name: 'ppl_subscriptions_ended_total',
      help: 'GraphQL subscriptions ended, by operation and reason (client, slow_consumer, source_ended, error)',
      labelNames: ['operation', 'reason'] as const,
      registers,
    });
    this.delivered = new Counter({
      name: 'ppl_subscription_events_delivered_total',
      help: 'Items handed to graphql-ws for sending, by operation',
      labelNames: ['operation'] as const,
      registers,
    });
    this.slowConsumers = new Counter({
      name: 'ppl_subscriptions_slow_consumers_total',
      help: 'Subscriptions closed because their client took nothing for SUBSCRIPTION_STALL_TIMEOUT_SECONDS while events waited',
      labelNames: ['operation'] as const,
      registers,
    });
    this.connections = new Gauge({
      name: 'ppl_ws_connections_active',
      help: 'Open graphql-ws WebSocket connections',
      registers,
    });
    this.connectionsOpened = new Counter({
      name: 'ppl_ws_connections_total',
      help: 'graphql-ws WebSocket connections accepted',
      registers,
    });
    this.connectionsRefused = new Counter({
      name: 'ppl_ws_connections_refused_total',
      help: 'WebSocket upgrades refused, by reason (max_connections, path)',
      labelNames: ['reason'] as const,
      registers,
    });
    this.connectionsClosed = new Counter({
      name: 'ppl_ws_connections_closed_by_server_total',
      help: 'WebSocket connections the server closed, by reason (idle, slow_consumer)',
      labelNames: ['reason'] as const,
      registers,
    });
    this.sendQueueBytes = new Gauge({
      name: 'ppl_ws_send_queue_bytes',
      help: 'Bytes the service holds queued for subscription sockets (each socket is held under 1 MiB plus one message)',
      registers,
      collect: () => this.sendQueueBytes.set(this.sendQueueSource()),
    });
    this.bufferedEvents = new Gauge({
      name: 'ppl_subscription_buffered_events',
      help: 'Events held for subscribers, over all subscriptions (each holds at most SUBSCRIPTION_BUFFER)',
      registers,
      collect: () => this.bufferedEvents.set(this.feedsSource().buffered),
    });
    this.catchingUp = new Gauge({
      name: 'ppl_subscriptions_catching_up',
      help: 'Subscriptions reading the store themselves (catching up); the others are fed by the shared tail',
      registers,
      collect: () => this.catchingUp.set(this.feedsSource().catchingUp),
    });
  }

  subscriptionStarted(operation: SubscriptionOperation): void {
    this.started.inc({ operation });
    this.metrics.subscriptions.inc({ operation });
  }

  subscriptionEnded(operation: SubscriptionOperation, reason: FeedEnd): void {
    this.ended.inc({ operation, reason });
    this.metrics.subscriptions.dec({ operation });
  }
}
