import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, in one registry served at GET /metrics. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly commands = new Counter({
    name: 'ppl_commands_total',
    help: 'Commands handled, by command type and outcome (ok, or the refusal code)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly commandDuration = new Histogram({
    name: 'ppl_command_duration_seconds',
    help: 'Time from command dispatch to events appended (or refusal)',
    labelNames: ['type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'ppl_event_store_append_duration_seconds',
    help: 'Time to append one command’s events to the event store',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly storePosition = new Gauge({
    name: 'ppl_event_store_position',
    help: 'Global position of the newest event this service appended or saw',
    registers: [this.registry],
  });

  readonly projectionPosition = new Gauge({
    name: 'ppl_projection_position',
    help: 'Global position each projection has applied',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'ppl_projection_lag_events',
    help: 'Events between the store head and each projection',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionState = new Gauge({
    name: 'ppl_projection_state',
    help: 'Each projection\'s state: 1 for the one it is in (STOPPED, CATCHING_UP, LIVE, REBUILDING, RETRYING, FAILED), 0 for the others',
    labelNames: ['projection', 'state'] as const,
    registers: [this.registry],
  });

  readonly subscriptions = new Gauge({
    name: 'ppl_subscriptions_active',
    help: 'Open GraphQL subscriptions, by operation',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ppl_' });
  }
}
