import { Inject, Injectable } from '@nestjs/common';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationRule } from 'graphql';
import { APP_CONFIG, type AppConfig } from '@ppl/config';

/**
 * GraphQL limits with @escape.tech/graphql-armor, configured once: max depth, cost, aliases,
 * directives and tokens, field suggestions blocked. Apollo takes `apollo` (plugins, validation
 * rules, batching off); graphql-ws, which runs outside Apollo, takes `validationRules` and
 * `maxTokens` in its onSubscribe (see GraphqlWsServer), so subscriptions get the same limits.
 */
@Injectable()
export class GraphqlLimits {
  readonly apollo: ReturnType<ApolloArmor['protect']>;
  readonly validationRules: readonly ValidationRule[];
  readonly maxTokens: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const armor = new ApolloArmor({
      maxDepth: { n: config.GRAPHQL_MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true },
      costLimit: { maxCost: config.GRAPHQL_MAX_COST, ignoreIntrospection: true },
      maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
      maxDirectives: { n: config.GRAPHQL_MAX_DIRECTIVES },
      maxTokens: { n: config.GRAPHQL_MAX_TOKENS },
      blockFieldSuggestion: { enabled: true },
    });
    this.apollo = armor.protect();
    this.validationRules = this.apollo.validationRules;
    this.maxTokens = config.GRAPHQL_MAX_TOKENS;
  }
}

/** What blockFieldSuggestion does for Apollo, for errors produced outside it (graphql-ws). */
export function withoutSuggestions(error: GraphQLError): GraphQLError {
  const message = error.message.replace(/ ?Did you mean .+\?/g, '');
  return new GraphQLError(message, {
    nodes: error.nodes,
    extensions: { ...error.extensions, code: error.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED' },
  });
}
