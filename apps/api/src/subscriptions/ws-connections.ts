import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import { type Principal, type TokenVerifier, UnauthenticatedError } from '@ppl/auth';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { TOKEN_VERIFIER, bearerToken } from '../auth/auth.tokens';
import { GraphqlLimits, withoutSuggestions } from '../auth/graphql-limits';
import { createErrorFormatter } from '../graphql/error-format';
import { LOGGER } from '../observability/logger';
import { IDLE_CLOSE_CODE, SLOW_CONSUMER_CLOSE_CODE } from './subscription-errors';
import { SubscriptionMetrics } from './subscription-metrics';

/** Same path as queries and mutations over HTTP. */
export const GRAPHQL_WS_PATH = '/graphql';

/** What a subscription resolver receives as its GraphQL context over graphql-ws. */
export interface SubscriptionContext {
  readonly connection?: ConnectionState;
  readonly subscriptionId: string;
  readonly connectionParams?: Readonly<Record<string, unknown>>;
  /** The caller verified at connection_init (see secure-schema.ts). */
  readonly principal?: Principal;
}

/** Close code of a socket whose connection_init carried no valid token. */
export const UNAUTHENTICATED_CLOSE_CODE = 4401;
/** Close code of a socket refused because its subject holds WS_MAX_CONNECTIONS_PER_SUBJECT already. */
export const TOO_MANY_CONNECTIONS_CLOSE_CODE = 4429;

interface SocketExtra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  principal?: Principal;
}

type ServerContext = { readonly subscriptions: Record<string, unknown>; readonly extra: SocketExtra };

/** One WebSocket connection: its subscriptions (for the idle timeout) and the slow-consumer close. */
export class ConnectionState {
  private active = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly idleMs: number,
    private readonly closedByServer: (reason: 'idle' | 'slow_consumer') => void,
  ) {
    this.armIdle();
  }

  subscriptionStarted(): void {
    this.active++;
    this.clearIdle();
  }

  subscriptionEnded(): void {
    this.active = Math.max(0, this.active - 1);
    if (this.active === 0) this.armIdle();
  }

  /**
   * A subscription on this socket stalled (see EventFeed): the socket is closed with 4008 and the
   * subscription's cursor in the reason. Queued frames go out first, so a client that reads again
   * receives every event up to that cursor, then the close.
   */
  slowConsumer(cursor: number): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.closedByServer('slow_consumer');
    this.socket.close(SLOW_CONSUMER_CLOSE_CODE, `SLOW_CONSUMER cursor=${cursor}`);
  }

  closed(): void {
    this.clearIdle();
  }

  private armIdle(): void {
    this.clearIdle();
    if (this.idleMs <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.active > 0 || this.socket.readyState !== WebSocket.OPEN) return;
      this.closedByServer('idle');
      this.socket.close(IDLE_CLOSE_CODE, `Idle timeout: no subscription for ${Math.round(this.idleMs / 1000)} s`);
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

/**
 * GraphQL subscriptions over WebSocket (graphql-ws protocol) on the HTTP server's `/graphql`.
 *
 * Wired here rather than through the Apollo driver's `subscriptions` option because
 * @nestjs/graphql 14 builds its `WebSocketServer` with no options: no `maxPayload` (ws's default
 * is 100 MiB), no connection cap, no control over keep-alive. The executable schema is the one
 * Nest built (resolvers included), taken from GraphQLSchemaHost once the app is initialised.
 *
 * graphql-ws runs outside Apollo's pipeline, so only subscriptions are accepted on the socket:
 * queries and mutations go through HTTP, where limits and error formatting apply.
 */
@Injectable()
export class GraphqlWsServer implements OnApplicationBootstrap, OnModuleDestroy {
  private wss: WebSocketServer | undefined;
  private httpServer: HttpServer | undefined;
  private readonly connections = new WeakMap<WebSocket, ConnectionState>();
  private readonly documents = new Map<string, DocumentNode>();
  /** Authenticated connections by token subject (for the per-subject caps). */
  private readonly bySubject = new Map<string, Set<ServerContext>>();

  private readonly formatError: ReturnType<typeof createErrorFormatter>;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: SubscriptionMetrics,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    private readonly limits: GraphqlLimits,
  ) {
    this.formatError = createErrorFormatter(logger, config.NODE_ENV === 'production');
  }

  onApplicationBootstrap(): void {
    const schema = this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema;
    const httpServer = this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
    const wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.config.WS_MAX_PAYLOAD_BYTES,
      perMessageDeflate: false,
      handleProtocols: (protocols) => handleProtocols(protocols),
    });
    this.wss = wss;
    this.httpServer = httpServer;
    this.metrics.sendQueueSource = () => {
      let bytes = 0;
      for (const client of wss.clients) bytes += client.bufferedAmount;
      return bytes;
    };
    this.attach(wss, schema);
    httpServer.on('upgrade', this.onUpgrade);
  }

  // onModuleDestroy, not a later hook: Apollo's drain plugin (GraphQLModule's destroy) destroys every
  // socket of the HTTP server, upgraded ones included, without a close frame.
  async onModuleDestroy(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    this.wss = undefined;
    this.httpServer?.off('upgrade', this.onUpgrade);
    this.logger.info({ connections: wss.clients.size }, 'closing subscription sockets (1001 going away)');
    // Going away (1001): clients reconnect and resume from their last cursor.
    for (const client of wss.clients) client.close(1001, 'Going away');
    // ws calls back only once every client has closed, and waits 30 s for a peer that never
    // answers the close frame: give them 2 s, then cut the rest, then wait for the server.
    const closed = new Promise<void>((resolve) => wss.close(() => resolve()));
    const deadline = Date.now() + 2000;
    while ([...wss.clients].some((c) => c.readyState !== WebSocket.CLOSED) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const client of wss.clients) client.terminate();
    await closed;
  }

  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const wss = this.wss;
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!wss || path !== GRAPHQL_WS_PATH) {
      // Another listener may serve other paths; refuse only when nobody else would answer.
      if (this.httpServer && this.httpServer.listenerCount('upgrade') > 1) return;
      this.metrics.connectionsRefused.inc({ reason: 'path' });
      refuse(socket, 404, 'Not Found');
      return;
    }
    if (wss.clients.size >= this.config.WS_MAX_CONNECTIONS) {
      this.metrics.connectionsRefused.inc({ reason: 'max_connections' });
      refuse(socket, 503, 'Service Unavailable', 'Retry-After: 5\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };

  private attach(wss: WebSocketServer, schema: GraphQLSchema): void {
    const maxPerConnection = this.config.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION;
    const maxPerSubject = this.config.WS_MAX_SUBSCRIPTIONS_PER_SUBJECT;
    const rules: readonly ValidationRule[] = [...specifiedRules, ...this.limits.validationRules];
    const server = makeServer<Record<string, unknown> | undefined, SocketExtra>({
      schema,
      // Authentication: the connection_init payload's `authorization: "Bearer <jwt>"` (or `token`).
      // A socket without a valid token is closed with 4401 before any operation runs.
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const raw = params.authorization ?? params.Authorization;
        const token = bearerToken(raw) ?? (typeof params.token === 'string' ? params.token : undefined);
        let principal: Principal;
        try {
          if (!token) throw new UnauthenticatedError('connection_init must carry authorization: "Bearer <token>"');
          principal = await this.verifier.verify(token);
        } catch (error) {
          this.metrics.connectionsRefused.inc({ reason: 'unauthenticated' });
          const message = error instanceof UnauthenticatedError ? error.message : 'Token invalid';
          ctx.extra.socket.close(UNAUTHENTICATED_CLOSE_CODE, `UNAUTHENTICATED: ${message}`.slice(0, 120));
          return false;
        }
        const mine = this.bySubject.get(principal.id) ?? new Set<ServerContext>();
        if (mine.size >= this.config.WS_MAX_CONNECTIONS_PER_SUBJECT) {
          this.metrics.connectionsRefused.inc({ reason: 'max_connections_per_subject' });
          ctx.extra.socket.close(
            TOO_MANY_CONNECTIONS_CLOSE_CODE,
            `At most ${this.config.WS_MAX_CONNECTIONS_PER_SUBJECT} connections per subject`,
          );
          return false;
        }
        mine.add(ctx);
        this.bySubject.set(principal.id, mine);
        ctx.extra.principal = principal;
        // The token was checked once, here: the connection ends when it expires (the client
        // reconnects with a fresh token and resumes from its cursor).
        const expiry = principal.expiresAt === undefined ? undefined : closeAt(principal.expiresAt, () => {
          this.metrics.connectionsClosed.inc({ reason: 'token_expired' });
          ctx.extra.socket.close(UNAUTHENTICATED_CLOSE_CODE, 'UNAUTHENTICATED: token expired; reconnect with a fresh token');
        });
        ctx.extra.socket.once('close', () => {
          expiry?.cancel();
          mine.delete(ctx);
          if (mine.size === 0 && this.bySubject.get(principal.id) === mine) this.bySubject.delete(principal.id);
        });
        return true;
      },
      context: (ctx, id): SubscriptionContext & Record<string, unknown> => ({
        connection: this.connections.get(ctx.extra.socket),
        subscriptionId: id,
        connectionParams: ctx.connectionParams,
        principal: ctx.extra.principal,
      }),
      onSubscribe: (ctx, _id, payload) => {
        const principal = ctx.extra.principal;
        if (!principal) {
          return [new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        if (Object.keys(ctx.subscriptions).length > maxPerConnection) {
          return [
            new GraphQLError(`At most ${maxPerConnection} subscriptions per connection`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ];
        }
        // graphql-ws reserves the id in ctx.subscriptions before this hook and removes it when the
        // subscription ends or the socket closes: the live count needs no bookkeeping of its own.
        let held = 0;
        for (const other of this.bySubject.get(principal.id) ?? []) held += Object.keys(other.subscriptions).length;
        if (held > maxPerSubject) {
          return [
            new GraphQLError(`At most ${maxPerSubject} subscriptions per subject`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ];
        }
        if (typeof payload.query !== 'string') {
          return [new GraphQLError('query must be a string', { extensions: { code: 'BAD_REQUEST' } })];
        }
        let document: DocumentNode;
        try {
          document = this.parseCached(payload.query);
        } catch (error) {
          return [
            error instanceof GraphQLError
              ? new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })
              : new GraphQLError(String(error), { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }),
          ];
        }
        // The same validation as over HTTP: graphql's rules plus graphql-armor's limits.
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return errors.map(withoutSuggestions);
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError('Unable to identify operation')];
        if (operation.operation !== 'subscription') {
          return [
            new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP POST /graphql', {
              extensions: { code: 'BAD_REQUEST' },
            }),
          ];
        }
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      // A payload's field errors (a nested partnership that is lagging or unavailable) go out as
      // over HTTP: typed codes, and the store's own messages (files, hosts) logged, not sent.
      onNext: (_ctx, _id, _payload, _args, result) => formatPayloadErrors(result, this.formatError),
    });

    wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
      this.metrics.connections.inc();
      this.metrics.connectionsOpened.inc();
      const state = new ConnectionState(socket, this.config.WS_IDLE_TIMEOUT_SECONDS * 1000, (reason) =>
        this.metrics.connectionsClosed.inc({ reason }),
      );
      this.connections.set(socket, state);
      socket.once('error', (error) => {
        this.logger.warn({ err: error }, 'WebSocket error');
        socket.terminate();
      });
      const keepAliveMs = this.config.WS_KEEPALIVE_SECONDS * 1000;
      let pongWait: NodeJS.Timeout | undefined;
      const pingInterval =
        keepAliveMs > 0
          ? setInterval(() => {
              if (socket.readyState !== WebSocket.OPEN || pongWait) return;
              pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
              socket.once('pong', () => {
                clearTimeout(pongWait);
                pongWait = undefined;
              });
              socket.ping();
            }, keepAliveMs)
          : undefined;
      const closed = server.opened(
        {
          protocol: socket.protocol,
          // graphql-ws takes a subscription's next item only once this resolves: that is what
          // holds a slow client's feed back (and lets it stall, see SubscriptionFeeds).
          send: (data) => sendWithBackPressure(socket, data),
          close: (code, reason) => socket.close(code, reason),
          onMessage: (cb) =>
            socket.on('message', (data: Buffer) => {
              cb(data.toString()).catch((error: unknown) => {
                this.logger.error({ err: error }, 'graphql-ws message handling failed');
                socket.close(CloseCode.InternalServerError, 'Internal server error');
              });
            }),
        },
        { socket, request },
      );
      socket.once('close', (code, reason) => {
        if (pongWait) clearTimeout(pongWait);
        if (pingInterval) clearInterval(pingInterval);
        state.closed();
        this.metrics.connections.dec();
        closed(code, reason.toString()).catch((error: unknown) =>
          this.logger.warn({ err: error }, 'graphql-ws close handling failed'),
        );
      });
    });
  }

  /** Integrators send the same few documents over and over; parse each once (bounded cache). */
  private parseCached(query: string): DocumentNode {
    const cached = this.documents.get(query);
    if (cached) return cached;
    const document = parse(query, { maxTokens: this.limits.maxTokens });
    if (this.documents.size >= 500) this.documents.clear();
    this.documents.set(query, document);
    return document;
  }
}

/** Bytes queued for one socket above which a send waits for it to drain (its memory bound). */
const SEND_HIGH_WATER_BYTES = 1024 * 1024;

/** How often a waiting send looks at the socket's queue again (a slow link drains it steadily). */
const SEND_RECHECK_MS = 100;

/**
 * Sends, then resolves once the socket's queue is below SEND_HIGH_WATER_BYTES. The `ws` send
 * callback alone is no back-pressure: it fires while megabytes still wait in the socket's
 * user-space buffer for a client that does not read (measured: 50 MiB queued for a paused client).
 * The queue is looked at again every SEND_RECHECK_MS, not only on 'drain': Node emits that once
 * the buffer is empty, which on a slow link that reads steadily comes only after the stall timeout,
 * and the client would be closed as a slow consumer though it keeps reading.
 */
export function sendWithBackPressure(socket: WebSocket, data: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (socket.readyState !== WebSocket.OPEN) return resolve();
    socket.send(data, (error) => {
      if (error) return reject(error);
      if (socket.bufferedAmount <= SEND_HIGH_WATER_BYTES) return resolve();
      const raw = (socket as unknown as { _socket?: Duplex })._socket;
      const recheck = setInterval(() => check(), SEND_RECHECK_MS);
      const done = (): void => {
        clearInterval(recheck);
        raw?.off('drain', check);
        socket.off('close', done);
        resolve();
      };
      const check = (): void => {
        if (socket.bufferedAmount <= SEND_HIGH_WATER_BYTES) done();
      };
      raw?.on('drain', check);
      socket.once('close', done);
    });
  });
}

function refuse(socket: Duplex, status: number, text: string, headers = ''): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n${headers}\r\n`, () =>
    socket.destroy(),
  );
}

/** A subscription payload with its errors formatted as over HTTP; undefined when it has none (sent as it is). */
export function formatPayloadErrors(
  result: ExecutionResult,
  format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
): FormattedExecutionResult | undefined {
  if (!result.errors || result.errors.length === 0) return undefined;
  // GraphQL's own errors and the typed GraphQLErrors the subscriptions throw (SLOW_CONSUMER,
  // SERVICE_UNAVAILABLE, VALIDATION_FAILED) are sent as they are; what a resolver hit underneath
  // (a refusal with a code, the read model, a bug) is formatted.
  return {
    ...result,
    errors: result.errors.map((error) =>
      error.originalError === undefined || error.originalError instanceof GraphQLError ? error.toJSON() : format(error.toJSON(), error),
    ),
  };
}

/** Node's timers hold at most 2^31-1 ms (about 24.8 days): a later instant is reached in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/** Runs `action` at the instant `at` (epoch ms), however far; `cancel` stops it. */
export function closeAt(at: number, action: () => void, now: () => number = Date.now): { cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const wait = at - now();
    if (wait <= 0) {
      timer = undefined;
      action();
      return;
    }
    timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return {
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
