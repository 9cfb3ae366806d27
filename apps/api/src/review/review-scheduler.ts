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
 * partnership every REVIEW_INTERVAL_SECONDS (0: off). The set of open partnerships is kept
 * from the event store's global stream, so it needs no read model.
 */
@Injectable()
export class ReviewScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
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
    this.timer = setInterval(() => {
      if (!this.running)
        this.running = this.reviewAll(new Date())
          .then(
            () => undefined,
            (error: unknown) => this.logger.error({ err: error }, 'review round failed'),
          )
          .finally(() => (this.running = null));
    }, this.config.REVIEW_INTERVAL_SECONDS * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Sends one review per open partnership as of `now`; returns how many were sent. */
  async reviewAll(now: Date): Promise<number> {
    await this.refreshOpenPartnerships();
    const businessTime = now.toISOString();
    let sent = 0;
    for (const partnershipId of this.open) {
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
