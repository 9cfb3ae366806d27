import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '@ppl/config';

export interface RateVerdict {
  readonly allowed: boolean;
  /** When refused: how long until the caller may try again. */
  readonly retryAfterMs: number;
}

/**
 * Rate limiting per subject with @nestjs/throttler's storage. Mutations are plain resolver
 * functions and subscriptions run outside Nest's request pipeline, so the throttler's guard never
 * sees them: the HTTP layer (HttpSecurity) calls `hit` once per GraphQL request instead, keyed by
 * the token's subject (by client address before a token is verified).
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly storage: ThrottlerStorageService,
  ) {}

  async hit(key: string): Promise<RateVerdict> {
    const windowMs = this.config.RATE_LIMIT_WINDOW_SECONDS * 1000;
    // blockDuration 0: a sliding window (a refused request is not counted and adds no penalty).
    const record = await this.storage.increment(key, windowMs, this.config.RATE_LIMIT_REQUESTS, 0, 'graphql');
    if (!record.isBlocked) return { allowed: true, retryAfterMs: 0 };
    return { allowed: false, retryAfterMs: Math.max(1000, record.timeToBlockExpire * 1000) };
  }
}
