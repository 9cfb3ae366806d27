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
    // A refusal is the caller's fault: HTTP 400.
    const onReject = [(_ctx: unknown, error: GraphQLError) => asBadRequest(error)];
    const armor = new ApolloArmor({
      maxDepth: { n: config.GRAPHQL_MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true, onReject },
      costLimit: { maxCost: config.GRAPHQL_MAX_COST, ignoreIntrospection: true, onReject },
      maxAliases: { n: config.GRAPHQL_MAX_ALIASES, onReject },
      maxDirectives: { n: config.GRAPHQL_MAX_DIRECTIVES, onReject },
      // The token limit is graphql-js's own parser option instead (`parseOptions.maxTokens`, below
      // and in graphql-ws): armor's plugin re-parses in a hook, where a lexer error (e.g. a NUL
      // character, found by the hostile-input suite) escapes as HTTP 500.
      maxTokens: { enabled: false },
      blockFieldSuggestion: { enabled: true },
    });
    this.apollo = armor.protect();
    this.validationRules = this.apollo.validationRules;
    this.maxTokens = config.GRAPHQL_MAX_TOKENS;
  }
}

function asBadRequest(error: GraphQLError): void {
  const extensions = error.extensions as Record<string, unknown>;
  extensions.code ??= 'GRAPHQL_VALIDATION_FAILED';
  extensions.http = { status: 400 };
}

/** What blockFieldSuggestion does for Apollo, for errors produced outside it (graphql-ws). */
export function withoutSuggestions(error: GraphQLError): GraphQLError {
  const message = error.message.replace(/ ?Did you mean .+\?/g, '');
  return new GraphQLError(message, {
    nodes: error.nodes,
    extensions: { ...error.extensions, http: undefined, code: error.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED' },
  });
}

