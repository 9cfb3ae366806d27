import { Global, Inject, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { createRootLogger, LOGGER } from './logger';
import { COMMAND_OBSERVER, type CommandObserver } from '@ppl/commands';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    Metrics,
    {
      provide: COMMAND_OBSERVER,
      inject: [Metrics],
      useFactory: (metrics: Metrics): CommandObserver => ({
        commandFinished: (type, outcome, seconds) => {
          metrics.commands.inc({ type, outcome });
          metrics.commandDuration.observe({ type }, seconds);
        },
        appended: (seconds, position) => {
          metrics.appendDuration.observe(seconds);
          metrics.storePosition.set(position);
        },
      }),
    },
    {
      provide: LOGGER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Logger => createRootLogger(config.LOG_LEVEL),
    },
  ],
  exports: [Metrics, LOGGER, COMMAND_OBSERVER],
})
export class ObservabilityModule {
  constructor(@Inject(LOGGER) readonly logger: Logger) {}
}
