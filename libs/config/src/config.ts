import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The service's configuration: one typed, validated module. Every variable is listed in the
 * README's configuration table; a bad value stops the service at start with a clear message.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Node's timers take 32-bit milliseconds: a longer one fires at once. Durations that set a timer stay within it. */
const TIMER_MAX_SECONDS = 2_147_483;

const configShape = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EVENT_STORE: z.enum(['sqlite', 'eventstoredb']).default('sqlite'),
  EVENTSTORE_URL: z.string().url().optional(),
  SQLITE_DURABILITY: z.enum(['normal', 'full']).default('full'),
  READ_MODEL: z.enum(['embedded', 'mongodb']).default('embedded'),
  MONGODB_URL: z.string().url().optional(),
  MONGODB_DATABASE: z.string().min(1).default('portfolio'),
  PROJECTIONS_IN_PROCESS: booleanFlag.default(true),
  /** With PROJECTIONS_IN_PROCESS: run them on a worker thread of the service, beside its event loop. */
  PROJECTIONS_THREAD: booleanFlag.default(false),
  /** `npm run projector`: HTTP port of its health (`/health/live`, `/health/ready`) and `/metrics`; 0 picks a free one. */
  PROJECTOR_PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  /**
   * Rule 8's scheduler: a review round at start, then every this many seconds (0: off). At most
   * 24 days: a longer timer does not fit Node's 32-bit milliseconds, which would fire it at once.
   */
  REVIEW_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(2_073_600).default(3600),
  READ_YOUR_WRITES_TIMEOUT_MS: z.coerce.number().int().min(0).max(60000).default(5000),
  COMMAND_CONFLICT_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
  /** Commands: streams of each aggregate type kept folded in memory (least recently used dropped first); 0 keeps none. */
  AGGREGATE_CACHE_SIZE: z.coerce.number().int().min(0).max(10_000_000).default(10_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(TIMER_MAX_SECONDS * 1000).default(10000),
  /** Time travel: a verified snapshot of a partnership's fold every this many events of its stream (0: none). */
  TIME_TRAVEL_SNAPSHOT_EVERY: z.coerce.number().int().min(0).default(500),
  /** Subscriptions: events read ahead for one subscriber, at most (its memory bound beside one store page). */
  SUBSCRIPTION_BUFFER: z.coerce.number().int().min(1).max(100000).default(256),
  /** Subscriptions: a subscriber that takes nothing for this long while events wait is closed (SLOW_CONSUMER). */
  SUBSCRIPTION_STALL_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(TIMER_MAX_SECONDS).default(10),
  /** Subscriptions: open WebSocket connections; further upgrades get HTTP 503. */
  WS_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(1000),
  /** Subscriptions: concurrent subscriptions per WebSocket connection. */
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).default(20),
  /** Subscriptions: a connection with no subscription for this long is closed (code 4000); 0 never. */
  WS_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(TIMER_MAX_SECONDS).default(60),
  /** Subscriptions: largest WebSocket message accepted from a client (ws's own default is 100 MiB). */
  WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).default(65536),
  /** Subscriptions: ping interval; a peer that does not answer within it is dropped; 0 disables. */
  WS_KEEPALIVE_SECONDS: z.coerce.number().int().min(0).max(TIMER_MAX_SECONDS).default(12),
  /** Subscriptions: open WebSocket connections of one token subject. */
  WS_MAX_CONNECTIONS_PER_SUBJECT: z.coerce.number().int().min(1).default(10),
  /** Subscriptions: concurrent subscriptions of one token subject over all its connections. */
  WS_MAX_SUBSCRIPTIONS_PER_SUBJECT: z.coerce.number().int().min(1).default(50),

  /** Authentication: the `iss` every token must carry. */
  AUTH_ISSUER: z.string().min(1).default('ppl-embedded'),
  /** Authentication: the `aud` every token must carry. */
  AUTH_AUDIENCE: z.string().min(1).default('partnership-ledger'),
  /** Authentication: an OIDC provider's JWKS endpoint; unset with AUTH_PUBLIC_KEY_FILE unset = the embedded key under DATA_DIR/auth. */
  AUTH_JWKS_URL: z.string().url().optional(),
  /** Authentication: a PEM (SPKI) public key file instead of a JWKS URL. */
  AUTH_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  /** Authentication: accepted signature algorithms (comma-separated), pinned; default ES256 (embedded), RS256 (key file), RS256,ES256 (JWKS). */
  AUTH_ALGORITHMS: z
    .string()
    .regex(/^(RS|PS|ES)(256|384|512)(,(RS|PS|ES)(256|384|512))*$|^EdDSA$/, 'comma-separated RS/PS/ES 256/384/512 (never none or HS*)')
    .optional(),
  /** Authentication: the claim holding the role. */
  AUTH_ROLE_CLAIM: z.string().min(1).default('role'),
  /** Authentication: the claim holding the caller's organisation. */
  AUTH_ORGANISATION_CLAIM: z.string().min(1).default('org'),
  /** Authentication: seconds a verified token is remembered (never past its expiry; 0 = verify every request). */
  AUTH_REMEMBER_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** /metrics: a static bearer secret for the scraper (at least 16 characters); without it only an ADMIN token reads metrics. */
  METRICS_TOKEN: z.string().min(16).optional(),

  /** Whole-response cache of read-side queries: `on` (default) or `off`. */
  RESPONSE_CACHE: z.enum(['on', 'off']).default('on'),
  /** Whole-response cache: memory bound, in bytes of cached responses (least recently used evicted first). */
  RESPONSE_CACHE_MAX_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  /** Whole-response cache: longest a cached response is served (seconds), even when nothing changed. */
  RESPONSE_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),

  /** GraphQL limits (graphql-armor): deepest selection. */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).default(12),
  /** GraphQL limits: operation cost (graphql-armor's cost model). */
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(50000),
  /** GraphQL limits: aliases per operation. */
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(15),
  /** GraphQL limits: directives per operation. */
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(10),
  /** GraphQL limits: lexical tokens per document. */
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(10).default(3000),
  /** HTTP: largest accepted JSON request body (body-parser syntax, e.g. 100kb, 1mb). */
  HTTP_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'a size such as 256kb or 1mb').default('256kb'),
  /** Rate limit: GraphQL HTTP requests per subject (token sub; client address before authentication) per window. */
  RATE_LIMIT_REQUESTS: z.coerce.number().int().min(1).default(600),
  /** Rate limit: the window, in seconds. */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(TIMER_MAX_SECONDS).default(60),
});

const configSchema = configShape.superRefine(
  (c, ctx) => {
    if (c.EVENT_STORE === 'eventstoredb' && !c.EVENTSTORE_URL) {
      ctx.addIssue({ code: 'custom', path: ['EVENTSTORE_URL'], message: 'required when EVENT_STORE=eventstoredb' });
    }
    if (c.READ_MODEL === 'mongodb' && !c.MONGODB_URL) {
      ctx.addIssue({ code: 'custom', path: ['MONGODB_URL'], message: 'required when READ_MODEL=mongodb' });
    }
  },
  // Cross-field rules run even when another variable is invalid, so every problem is named at once.
  { when: () => true },
);

export type AppConfig = z.output<typeof configSchema> & { readonly dataDir: string };

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the environment. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const relevant = Object.fromEntries(
    Object.keys(configShape.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value === '' ? [] : [[key, value]];
    }),
  );
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map(
        (i) =>
          `${i.path.join('.') || '(root)'}: ${i.message} (got ${JSON.stringify(relevant[String(i.path[0])] ?? null)})`,
      ),
    );
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.DATA_DIR) };
}

export const APP_CONFIG = Symbol.for('ppl.AppConfig');
