import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@ppl/event-store';
import { PROJECTION_RUNNER, type ProjectionRunner, type ProjectionState } from '@ppl/projections';
import { LOGGER } from '../observability/logger';
import type { Logger } from 'pino';
import { eventStoreDown } from '../health/store-down';

/** States in which a projection does its work; STOPPED, RETRYING and FAILED are not. */
const WORKING: ReadonlySet<ProjectionState> = new Set(['CATCHING_UP', 'LIVE', 'REBUILDING']);

/**
 * The projector's health, on PROJECTOR_PORT. `live`: the process answers. `ready`: the event
 * store answers and every projection is working (catching up, live or rebuilding), each listed
 * with its state, position and lag; one that is RETRYING (a store unavailable) or FAILED (its own
 * error, until the projector is restarted) makes it 503, with the error.
 */
@Controller('health')
export class ProjectorHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

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
      async () => {
        const results: HealthIndicatorResult = {};
        for (const s of await this.runner.status()) {
          const session = this.indicators.check(s.name);
          const details = { state: s.state, position: s.position, lag: s.lag, ...(s.error ? { error: s.error.message } : {}) };
          Object.assign(results, WORKING.has(s.state) ? session.up(details) : session.down(details));
        }
        return results;
      },
    ]);
  }
}
