import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@ppl/event-store';
import { LOGGER } from '../observability/logger';
import type { Logger } from 'pino';
import { eventStoreDown } from './store-down';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The process answers: nothing else is checked. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to take commands: the event store answers. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      async () => {
        try {
          await this.store.ping();
          return this.indicators.check('eventStore').up({ head: await this.store.headPosition() });
        } catch (e) {
          return eventStoreDown(this.indicators, this.logger, e);
        }
      },
    ]);
  }
}
