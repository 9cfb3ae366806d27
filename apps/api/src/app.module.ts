import { Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module';
import { EventStoreModule } from './event-store/event-store.module';
import { ApiGraphqlModule } from './graphql/graphql.module';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';
import { ReviewModule } from './review/review.module';

@Module({
  imports: [ConfigModule, ObservabilityModule, EventStoreModule, HealthModule, ApiGraphqlModule, ReviewModule],
})
export class AppModule {}
