import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateVerdict {
  readonly allowed: boolean;
  /** When refused: how long until the caller may try again. */
  readonly retryAfterMs: number;
}

/**
 * Rate limiting per subject: RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_SECONDS, counted by
 * rate-limiter-flexible's in-memory limiter (a counter per key and window: constant cost per
 * request whatever the limit, where a list of hit times would cost as much as the limit).
 * Mutations are plain resolver functions and subscriptions run outside Nest's request pipeline,
 * so a guard would not see them: the HTTP layer (HttpSecurity) calls `hit` once per GraphQL
 * request, keyed by the token's subject (by client address before a token is verified).
 */
@Injectable()
export class RateLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = new RateLimiterMemory({
      points: config.RATE_LIMIT_REQUESTS,
      duration: config.RATE_LIMIT_WINDOW_SECONDS,
    });
  }

  async hit(key: string): Promise<RateVerdict> {
    try {
      await this.limiter.consume(key, 1);
      return { allowed: true, retryAfterMs: 0 };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { allowed: false, retryAfterMs: Math.max(1000, refusal.msBeforeNext) };
    }
  }
}
