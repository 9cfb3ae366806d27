import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { type Principal, type TokenVerifier, UnauthenticatedError } from '@ppl/auth';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { LOGGER } from '../observability/logger';
import { TOKEN_VERIFIER, bearerToken } from './auth.tokens';
import { RateLimiter } from './rate-limiter';

/** An HTTP request once HttpSecurity has let it through: its verified caller. */
export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/**
 * Authentication and rate limiting of every HTTP request, in front of Nest's routes and Apollo.
 *
 * Public (no token): `GET|HEAD /health/*`; the board page and its assets (`GET|HEAD` of anything
 * but `/graphql` and `/metrics`: static files, no data); `/dev/*` outside production (the
 * development sign-in answers 404 in production anyway); in development `GET /graphql` without a
 * query (the GraphiQL page, which then sends the token it is given).
 *
 * `/graphql`: a bearer JWT verified by the TokenVerifier (issuer, audience, expiry, pinned
 * algorithms), else 401 with `UNAUTHENTICATED`; then RATE_LIMIT_REQUESTS per
 * RATE_LIMIT_WINDOW_SECONDS per token subject, else 429 with `RATE_LIMITED` and Retry-After.
 * `/metrics`: `Bearer METRICS_TOKEN` when one is configured, or a token of role ADMIN.
 * Everything else (any other method or path) needs a valid token too.
 */
@Injectable()
export class HttpSecurity {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly limiter: RateLimiter,
  ) {}

  middleware() {
    return (req: AuthenticatedRequest, res: Response, next: NextFunction): void => {
      this.handle(req, res).then(
        (pass) => (pass ? next() : undefined),
        (error: unknown) => next(error),
      );
    };
  }

  private isPublic(req: Request): boolean {
    // Express routes without regard to case: so are these checks (`/METRICS` is `/metrics`).
    const path = req.path.toLowerCase();
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (path.startsWith('/health/') && read) return true;
    if ((path === '/dev' || path.startsWith('/dev/')) && this.config.NODE_ENV !== 'production') return true;
    if (path === '/graphql' || path.startsWith('/graphql/')) {
      return read && this.config.NODE_ENV !== 'production' && req.query.query === undefined;
    }
    if (path === '/metrics' || path.startsWith('/metrics/')) return false;
    return read;
  }

  /** true: continue to the route; false: answered here. */
  private async handle(req: AuthenticatedRequest, res: Response): Promise<boolean> {
    if (req.method === 'OPTIONS' || this.isPublic(req)) return true;
    const token = bearerToken(req.header('authorization'));
    const path = req.path.toLowerCase();
    const isMetrics = path === '/metrics' || path.startsWith('/metrics/');
    if (isMetrics && token && this.config.METRICS_TOKEN && sameSecret(token, this.config.METRICS_TOKEN)) return true;

    if (!token) {
      // Unauthenticated callers share the limit of their address, so probing costs them too.
      if (!(await this.withinLimit(`ip:${req.ip ?? 'unknown'}`, res))) return false;
      this.refuse(res, 401, 'UNAUTHENTICATED', 'A bearer token is required (Authorization: Bearer <token>)');
      return false;
    }
    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      if (!(await this.withinLimit(`ip:${req.ip ?? 'unknown'}`, res))) return false;
      const message = error instanceof UnauthenticatedError ? error.message : 'Token invalid';
      if (!(error instanceof UnauthenticatedError)) this.logger.warn({ err: error }, 'token verification failed');
      this.refuse(res, 401, 'UNAUTHENTICATED', message);
      return false;
    }
    if (isMetrics && principal.role !== 'ADMIN') {
      this.refuse(res, 403, 'FORBIDDEN', `${principal.role} may not read metrics`);
      return false;
    }
    if (!(await this.withinLimit(`sub:${principal.id}`, res))) return false;
    req.principal = principal;
    return true;
  }

  private async withinLimit(key: string, res: Response): Promise<boolean> {
    const verdict = await this.limiter.hit(key);
    if (verdict.allowed) return true;
    res.setHeader('Retry-After', String(Math.ceil(verdict.retryAfterMs / 1000)));
    this.refuse(res, 429, 'RATE_LIMITED', 'Too many requests; retry later', { retryAfterMs: verdict.retryAfterMs });
    return false;
  }

  private refuse(res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
    if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="partnership-ledger"');
    res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
