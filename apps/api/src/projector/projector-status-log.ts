import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { PROJECTION_RUNNER, type ProjectionRunner, type ProjectionStatus } from '@ppl/projections';
import { LOGGER } from '../observability/logger';

/** Every 10 s, a log line of where each projection stands, when anything moved since the last one. */
@Injectable()
export class ProjectorStatusLog implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private last = '';

  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.report(), 10_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async report(): Promise<void> {
    let statuses: readonly ProjectionStatus[];
    try {
      statuses = await this.runner.status();
    } catch {
      return; // the stores closing under a shutdown
    }
    const projections = statuses.map((s) => ({ name: s.name, state: s.state, position: s.position, lag: s.lag, eventsPerSecond: Math.round(s.eventsPerSecond), ...(s.error ? { error: s.error.message } : {}) }));
    const line = JSON.stringify(projections.map(({ eventsPerSecond: _, ...rest }) => rest));
    if (line === this.last) return;
    this.last = line;
    this.logger.info({ projections }, `projector: ${projections.map((p) => `${p.name} ${p.state} at ${p.position} (lag ${p.lag})`).join(' | ')}`);
  }
}
