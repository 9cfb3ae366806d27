import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { DateTimeResolver, JSONResolver, SafeIntResolver } from 'graphql-scalars';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { CommandGateway, CommandsModule } from '@ppl/commands';
import { PERSONAL_DATA, type PersonalData } from '@ppl/privacy';
import { buildMutationResolvers } from '../commands/mutation.resolvers';
import { GraphqlLimits } from '../auth/graphql-limits';
import type { AuthenticatedRequest } from '../auth/http-security';
import { secureSchema } from '../auth/secure-schema';
import { LOGGER } from '../observability/logger';
import { Metrics } from '../observability/metrics';
import { ReadSideModule } from '../read-side/read-side.module';
import { CACHEABLE_QUERIES, ReadSideVersions } from '../read-side/response-validity';
import { createErrorFormatter } from './error-format';
import { readSchemaFile } from './schema-file';
import { revealPersonalFields } from './personal-fields';
import { ResponseCacheScope, ResponseCacheStore, reportCacheableFields, responseCachePlugins } from './response-cache';
import { ServiceInfoResolver } from './service-info.resolver';

@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [CommandsModule, ReadSideModule],
      inject: [APP_CONFIG, LOGGER, CommandGateway, GraphqlLimits, PERSONAL_DATA, ReadSideVersions, Metrics],
      useFactory: (
        config: AppConfig,
        logger: Logger,
        gateway: CommandGateway,
        limits: GraphqlLimits,
        personalData: PersonalData,
        versions: ReadSideVersions,
        metrics: Metrics,
      ): ApolloDriverConfig => {
        const production = config.NODE_ENV === 'production';
        // Whole answers of read-side queries, keyed by the read side's version and the audience
        // (see response-cache.ts); RESPONSE_CACHE=off leaves every query to run.
        const responseCache = config.RESPONSE_CACHE === 'on';
        const cachePlugins = responseCache
          ? responseCachePlugins({
              cacheable: new Set(Object.keys(CACHEABLE_QUERIES)),
              store: new ResponseCacheStore(config.RESPONSE_CACHE_MAX_BYTES),
              version: () => versions.current(),
              forgotten: () => personalData.forgotten,
              maxAgeSeconds: config.RESPONSE_CACHE_MAX_AGE_SECONDS,
              registry: metrics.registry,
            })
          : [];
        return {
          typeDefs: readSchemaFile(),
          resolvers: {
            JSON: JSONResolver,
            DateTime: DateTimeResolver,
            SafeInt: SafeIntResolver,
            Mutation: buildMutationResolvers(gateway),
          },
          path: '/graphql',
          // Subscriptions (graphql-ws) are served on this same path by SubscriptionsModule's
          // GraphqlWsServer, not through the driver's `subscriptions` option: that one builds its
          // WebSocketServer without maxPayload or a connection cap. Leave `subscriptions` unset
          // here, or two servers would answer the same upgrade.
          playground: false,
          graphiql: !production,
          introspection: !production,
          csrfPrevention: true,
          includeStacktraceInErrorResponses: false,
          // graphql-armor: depth, cost, aliases, directives, tokens, no field suggestions; no batching.
          // No @cacheControl hints: without the cache-control plugin Apollo does not wrap every
          // field resolver (a page of portfolio rows resolves a few hundred fields). The response
          // cache gets its policy from the read-side fields themselves (response-cache.ts).
          plugins: [ApolloServerPluginCacheControlDisabled(), ...limits.apollo.plugins, ...cachePlugins],
          validationRules: [...limits.apollo.validationRules],
          parseOptions: { maxTokens: limits.maxTokens },
          allowBatchedHttpRequests: false,
          // No automatic persisted queries: nobody uses them, and they are a cache clients fill.
          persistedQueries: false,
          // The role matrix, enforced on the executable schema (HTTP and graphql-ws alike); then
          // personal data (`@personal` fields) opened for the reader, or [redacted] once forgotten.
          transformSchema: (schema) => {
            const secured = secureSchema(schema);
            if (revealPersonalFields(secured, personalData).length === 0) {
              throw new Error('no @personal field in the schema: personal data could not be opened');
            }
            if (responseCache) reportCacheableFields(secured, CACHEABLE_QUERIES);
            return secured;
          },
          formatError: createErrorFormatter(logger, production),
          // HttpSecurity verified the bearer token before Apollo saw the request.
          context: ({ req }: { req: AuthenticatedRequest }) => ({
            req,
            principal: req.principal,
            ...(responseCache ? { responseCache: new ResponseCacheScope() } : {}),
          }),
        };
      },
    }),
  ],
  providers: [ServiceInfoResolver],
})
export class ApiGraphqlModule {}
