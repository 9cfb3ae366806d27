import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { HttpSecurity } from './auth/http-security';
import { ConfigurationError, APP_CONFIG, type AppConfig, loadConfig } from '@ppl/config';
import { correlationMiddleware } from './observability/correlation.middleware';
import { createRootLogger, LOGGER, PinoNestLogger } from './observability/logger';

async function bootstrap(): Promise<void> {
  let bootLogger: Logger;
  try {
    bootLogger = createRootLogger(loadConfig().LOG_LEVEL);
  } catch (e) {
    if (e instanceof ConfigurationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: new PinoNestLogger(bootLogger),
    bodyParser: false,
  });
  const config = app.get<AppConfig>(APP_CONFIG);
  const logger = app.get<Logger>(LOGGER);
  app.use(correlationMiddleware(logger));
  // Before any route or Apollo: bearer token and rate limit (see HttpSecurity), then the body
  // size limit (an oversized body is answered 413 without being buffered further).
  app.use(app.get(HttpSecurity).middleware());
  app.useBodyParser('json', { limit: config.HTTP_BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: config.HTTP_BODY_LIMIT, extended: false });
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  logger.info(
    { port: config.PORT, dataDir: config.dataDir, eventStore: config.EVENT_STORE, readModel: config.READ_MODEL },
    `partnership ledger listening on http://${config.HOST}:${config.PORT}/graphql`,
  );
}

bootstrap().catch((e: unknown) => {
  process.stderr.write(`failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
