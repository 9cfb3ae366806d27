/**
 * `npm run projector`: the projections as their own process, for the scale-out deployment (run
 * the service with PROJECTIONS_IN_PROCESS=false and one projector beside it, on the same
 * EVENT_STORE / READ_MODEL configuration). Catches up from each projection's checkpoint, then
 * follows live; health and `/metrics` on PROJECTOR_PORT. SIGTERM or SIGINT: commits what it
 * applied, closes the stores, exits 0.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { APP_CONFIG, ConfigurationError, type AppConfig } from '@ppl/config';
import { PROJECTION_RUNNER, type ProjectionRunner } from '@ppl/projections';
import { HttpSecurity } from '../auth/http-security';
import { correlationMiddleware } from '../observability/correlation.middleware';
import { createRootLogger, LOGGER, PinoNestLogger } from '../observability/logger';
import { projectorConfig, ProjectorModule } from './projector.module';

async function bootstrap(): Promise<void> {
  let bootLogger: Logger;
  try {
    bootLogger = createRootLogger(projectorConfig().LOG_LEVEL);
  } catch (e) {
    if (e instanceof ConfigurationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const app = await NestFactory.create<NestExpressApplication>(ProjectorModule, { logger: new PinoNestLogger(bootLogger), bodyParser: false });
  const config = app.get<AppConfig>(APP_CONFIG);
  const logger = app.get<Logger>(LOGGER);
  app.use(correlationMiddleware(logger));
  app.use(app.get(HttpSecurity).middleware());
  await app.listen(config.PROJECTOR_PORT, config.HOST);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const names = app.get<ProjectionRunner>(PROJECTION_RUNNER).projections.map((p) => p.name);
  logger.info(
    { port, projections: names, dataDir: config.dataDir, eventStore: config.EVENT_STORE, readModel: config.READ_MODEL },
    `projector running ${names.join(', ')}; health and metrics on http://${config.HOST}:${port}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.info('projector stopping: committing what was applied');
  // Stops the runner after its last commit (ProjectionLifecycle), then closes the stores and the port.
  await app.close();
  logger.info('projector stopped');
}

bootstrap().catch((e: unknown) => {
  process.stderr.write(`projector failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  // What was applied and not committed is applied again at the next start (exactly once).
  process.exit(1);
});
