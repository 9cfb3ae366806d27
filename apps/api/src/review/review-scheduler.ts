import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ppl/event-store';
import type { Logger } from 'pino';
import { CommandGateway } from '@ppl/commands';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { LOGGER } from '../observability/logger';

const SCHEDULER = { id: 'review-scheduler', role: 'SYSTEM' } as const;

/**
 * Rule 8: time-driven triggers (stagnation, health, overdue escalations and evaluations) are
 * evaluated by a `reviewPartnership(now)` command that this scheduler sends for every open
 * partnership: once as the service starts (what fell due while it was down is raised at once),
 * then every REVIEW_INTERVAL_SECONDS (default an hour; 0: off). A review with nothing due records
 * nothing, so the rounds add only what fell due. The set of open partnerships is kept from the
 * event store's global stream, so it needs no read model. Shutting down ends a round between two
 * partnerships.
 */
@Injectable()
export class ReviewScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private readonly open = new Set<string>();
  private seen = -1;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly gateway: CommandGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.REVIEW_INTERVAL_SECONDS <= 0) return;
    const round = () => {
      if (this.running || this.stopping) return;
      this.running = this.reviewAll(new Date())
        .then(
          (sent) => this.logger.info({ reviewed: sent }, 'review round done'),
          (error: unknown) => this.logger.error({ err: error }, 'review round failed'),
        )
        .finally(() => (this.running = null));
    };
    // The first round once the service is up (after bootstrap), then on the interval.
    this.first = setTimeout(round, 0);
    this.first.unref();
    this.timer = setInterval(round, this.config.REVIEW_INTERVAL_SECONDS * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.first) clearTimeout(this.first);
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Sends one review per open partnership as of `now`; returns how many were sent. */
  async reviewAll(now: Date): Promise<number> {
    await this.refreshOpenPartnerships();
    const businessTime = now.toISOString();
    let sent = 0;
    for (const partnershipId of this.open) {
      if (this.stopping) break;
      try {
        await this.gateway.execute(
          'ReviewPartnership',
          { partnershipId },
          { commandId: `review:${partnershipId}:${businessTime}`, businessTime },
          SCHEDULER,
        );
        sent++;
      } catch (error) {
        this.logger.warn({ partnershipId, err: error }, 'review refused');
      }
    }
    return sent;
  }

  private async refreshOpenPartnerships(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({
        after: this.seen,
        maxCount: 1000,
        filter: { types: ['PartnershipProposed', 'PartnershipEnded'] },
      });
      for (const event of page) {
        const id = event.streamId.replace(/^partnership-/, '');
        if (event.type === 'PartnershipProposed') this.open.add(id);
        else this.open.delete(id);
        this.seen = event.position;
      }
      if (page.length < 1000) return;
    }
  }
}
