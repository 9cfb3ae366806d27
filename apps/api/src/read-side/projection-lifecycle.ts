import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { PROJECTION_RUNNER, PROJECTION_STATES, type ProjectionRunner, type ProjectionStatus } from '@ppl/projections';
import { READ_MODEL_STORE, type ReadModelStore } from '@ppl/read-model';
import { LOGGER } from '../observability/logger';
import { Metrics } from '../observability/metrics';
import { CommittedProgress } from './committed-progress';
import { ProjectionProgress, ProjectionThread } from './projection-thread';

/**
 * Runs the projections inside the service when PROJECTIONS_IN_PROCESS (the default): started
 * once the app is bootstrapped, stopped (after committing what they applied) on shutdown, then
 * the read model is closed. With PROJECTIONS_THREAD they run on a worker thread of their own
 * (ProjectionThread), so that folding and committing never hold up queries and commands.
 * Publishes each projection's position and lag as metrics: the runner's (in process), the
 * thread's, or, when a separate projector runs them (PROJECTIONS_IN_PROCESS=false), what that
 * projector has committed to the read model.
 */
@Injectable()
export class ProjectionLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private thread: ProjectionThread | undefined;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly progress: ProjectionProgress,
    private readonly committed: CommittedProgress,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.PROJECTIONS_IN_PROCESS || this.config.PROJECTIONS_THREAD) {
      // Another process or thread writes; queries still need the collections declared.
      for (const p of this.runner.projections) await this.store.registerProjection(p);
    }
    if (!this.config.PROJECTIONS_IN_PROCESS) {
      this.publishEverySecond(() => this.committed.status());
      this.logger.info('projections run by a separate projector: publishing its committed positions');
      return;
    }
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
    this.publishEverySecond(() => this.runner.status());
    this.logger.info({ projections: this.runner.projections.map((p) => p.name) }, 'projections started in process');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.thread) await this.thread.stop(this.config.SHUTDOWN_TIMEOUT_MS);
    else if (this.config.PROJECTIONS_IN_PROCESS) await this.runner.stop();
    await this.store.close();
  }

  private publishEverySecond(statuses: () => Promise<Parameters<ProjectionLifecycle['record']>[0]>): void {
    const publish = async (): Promise<void> => {
      try {
        this.record(await statuses());
      } catch (error) {
        // A round that the shutdown overtook (the stores closing) is no fault.
        if (!this.stopping) this.logger.warn({ err: error }, 'projection status unavailable');
      }
    };
    void publish();
    this.timer = setInterval(() => void publish(), 1000);
    this.timer.unref();
  }

  /** A separate projector's statuses carry no state: the service cannot know it. */
  private record(statuses: readonly (Pick<ProjectionStatus, 'name' | 'position' | 'lag'> & { state?: ProjectionStatus['state'] })[]): void {
    for (const s of statuses) {
      this.metrics.projectionPosition.set({ projection: s.name }, s.position);
      this.metrics.projectionLag.set({ projection: s.name }, s.lag);
      if (s.state !== undefined)
        for (const state of PROJECTION_STATES) this.metrics.projectionState.set({ projection: s.name, state }, state === s.state ? 1 : 0);
    }
  }
}
