import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { PROJECTION_RUNNER, type ProjectionRunner, type ProjectionStatus } from '@ppl/projections';
import { READ_MODEL_STORE, type ReadModelStore } from '@ppl/read-model';
import { LOGGER } from '../observability/logger';
import { Metrics } from '../observability/metrics';
import { ProjectionProgress, ProjectionThread } from './projection-thread';

/**
 * Runs the projections inside the service when PROJECTIONS_IN_PROCESS (the default): started
 * once the app is bootstrapped, stopped (after committing what they applied) on shutdown, then
 * the read model is closed. With PROJECTIONS_THREAD they run on a worker thread of their own
 * (ProjectionThread), so that folding and committing never hold up queries and commands.
 * Publishes each projection's position and lag as metrics.
 */
@Injectable()
export class ProjectionLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private thread: ProjectionThread | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly progress: ProjectionProgress,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.PROJECTIONS_IN_PROCESS || this.config.PROJECTIONS_THREAD) {
      // Another process or thread writes; queries still need the collections declared.
      for (const p of this.runner.projections) await this.store.registerProjection(p);
    }
    if (!this.config.PROJECTIONS_IN_PROCESS) return;
    if (this.config.PROJECTIONS_THREAD) {
      this.thread = new ProjectionThread(this.progress, {
        onStatus: (statuses) => this.record(statuses),
        onLog: (level, message, error) => (level === 'error' ? this.logger.error({ err: error }, message) : this.logger.info(message)),
      });
      await this.thread.start();
      this.logger.info({ projections: this.runner.projections.map((p) => p.name) }, 'projections started on a worker thread');
      return;
    }
    await this.runner.start();
    this.timer = setInterval(() => void this.publish(), 1000);
    this.timer.unref();
    this.logger.info({ projections: this.runner.projections.map((p) => p.name) }, 'projections started in process');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.thread) await this.thread.stop(this.config.SHUTDOWN_TIMEOUT_MS);
    else if (this.config.PROJECTIONS_IN_PROCESS) await this.runner.stop();
    await this.store.close();
  }

  private async publish(): Promise<void> {
    try {
      this.record(await this.runner.status());
    } catch (error) {
      this.logger.warn({ err: error }, 'projection status unavailable');
    }
  }

  private record(statuses: readonly ProjectionStatus[]): void {
    for (const s of statuses) {
      this.metrics.projectionPosition.set({ projection: s.name }, s.position);
      this.metrics.projectionLag.set({ projection: s.name }, s.lag);
    }
  }
}
