import { Module } from '@nestjs/common';
import { PartnershipChangeResolver } from './partnership-change.resolver';
import { SubscriptionFeeds } from './subscription-feeds';
import { SubscriptionMetrics } from './subscription-metrics';
import { SubscriptionsResolver } from './subscriptions.resolver';
import { GraphqlWsServer } from './ws-connections';

/**
 * Integrators' live feeds: GraphQL subscriptions over graphql-ws on /graphql, each reading the
 * event store's global stream from the client's cursor (see the README, "Integrators").
 */
@Module({
  providers: [SubscriptionMetrics, SubscriptionFeeds, SubscriptionsResolver, PartnershipChangeResolver, GraphqlWsServer],
})
export class SubscriptionsModule {}
