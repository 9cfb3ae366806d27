import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { EventStoreUnavailableError } from '@ppl/event-store';

/**
 * The one place where errors become GraphQL errors. A refusal keeps its machine-readable code
 * and its details (unmet conditions, field paths, revisions); anything unexpected is logged
 * and answered as INTERNAL_SERVER_ERROR with no stack trace or internal message.
 */
const PUBLIC_CODES = new Set([
  'PHASE_GATE_UNMET',
  'APPROVAL_REQUIRED',
  'INFORM_REQUIRED',
  'PARTNERSHIP_ENDED',
  'INVALID_TRANSITION',
  'ALREADY_EXISTS',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'VALIDATION_FAILED',
  'CONCURRENCY_CONFLICT',
  'UNAVAILABLE',
  'PROJECTION_LAGGING',
  'RATE_LIMITED',
  'RULE_VIOLATED',
]);

/** Codes graphql-js and Apollo give to malformed requests: the caller's fault, shown as they are. */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const DETAIL_KEYS = ['unmet', 'fields', 'expected', 'actual', 'streamId', 'position', 'retryAfterMs'] as const;

interface CodedError {
  code: string;
  message: string;
  [key: string]: unknown;
}

function isCoded(e: unknown): e is CodedError {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

export function publicExtensions(error: CodedError): Record<string, unknown> {
  const extensions: Record<string, unknown> = { code: error.code };
  for (const key of DETAIL_KEYS) {
    if (error[key] !== undefined) extensions[key] = error[key];
  }
  return extensions;
}

export function createErrorFormatter(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof EventStoreUnavailableError) {
      // The store did not answer: worth a retry. Its message names hosts, ports or files: logged, not shown.
      logger.warn({ err: original, path: formatted.path }, 'event store unavailable while answering GraphQL');
      return { message: 'The event store is unavailable for the moment; try again (with the same commandId)', path: formatted.path, extensions: { code: 'UNAVAILABLE' } };
    }
    if (isCoded(original) && PUBLIC_CODES.has(original.code)) {
      return { message: original.message, path: formatted.path, extensions: publicExtensions(original) };
    }
    if (isCoded(original) && original.code === 'READ_MODEL_UNAVAILABLE') {
      // The read model's store did not answer (locked, full, a MongoDB failover): worth a retry.
      // Its message names files or hosts, so it is logged, not shown.
      logger.warn({ err: original, path: formatted.path }, 'read model unavailable while answering GraphQL');
      return { message: 'The read model is unavailable for the moment; try again', path: formatted.path, extensions: { code: 'UNAVAILABLE' } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && REQUEST_CODES.has(code) && !original) {
      return production ? { message: formatted.message, extensions: { code } } : formatted;
    }
    if (typeof code === 'string' && REQUEST_CODES.has(code)) {
      return { message: formatted.message, path: formatted.path, extensions: { code } };
    }
    if (!original && typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
      // Errors raised by GraphQL limits and plugins (depth, cost, aliases) carry their own code.
      return { message: formatted.message, extensions: { code } };
    }
    logger.error({ err: original ?? error, path: formatted.path }, 'unexpected error while answering GraphQL');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
