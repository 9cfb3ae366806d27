import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { requestContext } from './request-context';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's `x-correlation-id` (or makes one), echoes it, runs the request inside its
 * context and logs one line per request when it finishes.
 */
export function correlationMiddleware(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.header('x-correlation-id');
    const correlationId = given && SAFE_ID.test(given) ? given : randomUUID();
    res.setHeader('x-correlation-id', correlationId);
    const started = process.hrtime.bigint();
    const path = req.path;
    res.on('finish', () => {
      if (path.startsWith('/health') || path === '/metrics') return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ correlationId, method: req.method, path, status: res.statusCode, ms }, 'request');
    });
    requestContext.run({ correlationId }, next);
  };
}
