import { Global, Inject, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { createRootLogger, LOGGER } from './logger';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    Metrics,
    {
      provide: LOGGER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Logger => createRootLogger(config.LOG_LEVEL),
    },
  ],
  exports: [Metrics, LOGGER],
})
export class ObservabilityModule {
  constructor(@Inject(LOGGER) readonly logger: Logger) {}
}
