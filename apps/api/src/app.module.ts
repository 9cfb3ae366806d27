import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config/config.module';
import { EventStoreModule } from './event-store/event-store.module';
import { ApiGraphqlModule } from './graphql/graphql.module';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';
import { ReviewModule } from './review/review.module';
import { ReadSideModule } from './read-side/read-side.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { AuditModule } from './audit/audit.module';
import { DashboardModule } from './dashboard/dashboard.module';

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule,
    AuthModule,
    EventStoreModule,
    HealthModule,
    ApiGraphqlModule,
    ReviewModule,
    ReadSideModule,
    SubscriptionsModule,
    AuditModule,
    DashboardModule,
  ],
})
export class AppModule {}
