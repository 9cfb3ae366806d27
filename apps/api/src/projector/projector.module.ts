import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { APP_CONFIG, loadConfig, type AppConfig } from '@ppl/config';
import { AuthModule } from '../auth/auth.module';
import { EventStoreModule } from '../event-store/event-store.module';
import { ObservabilityModule } from '../observability/observability.module';
import { ProjectionsModule } from '../read-side/projections.module';
import { ProjectorHealthController } from './projector-health.controller';
import { ProjectorStatusLog } from './projector-status-log';

/**
 * The projector runs the projections itself, on its event loop, whatever PROJECTIONS_IN_PROCESS
 * and PROJECTIONS_THREAD say (those tell the service whether it runs them).
 */
export function projectorConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return { ...loadConfig(env), PROJECTIONS_IN_PROCESS: true, PROJECTIONS_THREAD: false };
}

@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useFactory: () => projectorConfig() }],
  exports: [APP_CONFIG],
})
class ProjectorConfigModule {}

/**
 * `npm run projector`: the projections as a process of their own, for the scale-out deployment
 * (the service with PROJECTIONS_IN_PROCESS=false beside it, on the same stores). The same
 * modules as the service's read side, without GraphQL or commands; on PROJECTOR_PORT its health
 * and `/metrics`, behind the service's HTTP rules (HttpSecurity).
 */
@Module({
  imports: [ProjectorConfigModule, ObservabilityModule, AuthModule, EventStoreModule, TerminusModule, ProjectionsModule],
  controllers: [ProjectorHealthController],
  providers: [ProjectorStatusLog],
})
export class ProjectorModule {}
