import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type CommandType, type DomainCommand, aggregateOf, commandSchemas } from '@ppl/domain';
import type { Actor } from '@ppl/event-store';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { COMMAND_OBSERVER, type CommandObserver } from './command-observer';
import { DEFAULTED_FIELDS, MINTED_ID_PATHS } from './command-catalog';
import {
  type CommandMeta,
  type CommandOutcome,
  OrganisationCommandMessage,
  PartnershipCommandMessage,
  PersonCommandMessage,
  StrategyCommandMessage,
  withEvents,
} from './command-envelope';
import { InputValidationError, ServiceUnavailableError } from './input-validation.error';
import { mintIdsInto } from './mint-ids';

export interface CommandOptions {
  readonly commandId?: string | null;
  readonly expectedRevision?: number | null;
  readonly businessTime?: Date | string | null;
  /** The request's correlation id; one is made when absent. */
  readonly correlationId?: string;
}

export interface GatewayResult extends CommandOutcome {
  readonly mintedIds: Record<string, string>;
}

const COMMAND_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The edge of the command side: validates a mutation's input with the domain's schema, mints
 * ids, stamps the metadata and sends the command down the CommandBus to its aggregate's
 * handler. It decides nothing. It also counts in-flight commands so SIGTERM lets them finish.
 */
@Injectable()
export class CommandGateway implements BeforeApplicationShutdown {
  private inFlight = 0;
  private draining = false;
  private drained: (() => void) | null = null;
  private readonly logger = new Logger('CommandGateway');

  constructor(
    private readonly bus: CommandBus,
    @Inject(COMMAND_OBSERVER) private readonly observer: CommandObserver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(type: CommandType, input: unknown, options: CommandOptions, actor: Actor): Promise<GatewayResult> {
    if (this.draining) throw new ServiceUnavailableError('The service is shutting down; retry with the same commandId.');
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    this.inFlight++;
    try {
      const result = await this.run(type, input, options, actor);
      this.observer.commandFinished(type, result.duplicate ? 'duplicate' : 'ok', seconds());
      return result;
    } catch (error) {
      const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'ERROR';
      this.observer.commandFinished(type, code, seconds());
      throw error;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  private async run(type: CommandType, input: unknown, options: CommandOptions, actor: Actor): Promise<GatewayResult> {
    const problems: { path: string; message: string }[] = [];
    const commandId = options.commandId ?? randomUUID();
    if (!COMMAND_ID.test(commandId)) problems.push({ path: 'commandId', message: 'letters, digits and ._:- only, at most 128' });
    if (options.expectedRevision != null && (!Number.isInteger(options.expectedRevision) || options.expectedRevision < -1)) {
      problems.push({ path: 'expectedRevision', message: 'an integer ≥ -1 (-1: the stream must not exist yet)' });
    }
    const businessTime = toIso(options.businessTime);
    if (!businessTime) problems.push({ path: 'businessTime', message: 'an ISO-8601 date-time' });

    // One copy of the input, as JSON would carry it without its nulls, that ids are minted into.
    const copy = typeof input === 'object' && input !== null && !Array.isArray(input) ? jsonWithoutNulls(input) : undefined;
    const withIds = (typeof copy === 'object' && copy !== null && !Array.isArray(copy) ? copy : {}) as Record<string, unknown>;
    const minted = mintIdsInto(withIds, MINTED_ID_PATHS[type] ?? [], commandId);
    const schema = commandSchemas[type];
    for (const [field, value] of Object.entries(DEFAULTED_FIELDS)) {
      if (field in schema.shape && withIds[field] === undefined) withIds[field] = value;
    }
    withIds.type = type;
    const parsed = schema.safeParse(withIds);
    if (!parsed.success) {
      problems.push(
        ...parsed.error.issues.map((i) => ({ path: ['input', ...i.path.map(String)].join('.'), message: i.message })),
      );
    }
    if (problems.length > 0 || !parsed.success || !businessTime) throw new InputValidationError(problems);

    const command = parsed.data as DomainCommand;
    const meta: CommandMeta = {
      commandId,
      expectedRevision: options.expectedRevision ?? undefined,
      actor,
      correlationId: options.correlationId ?? randomUUID(),
      businessTime,
    };
    const outcome = await this.bus.execute<CommandOutcomeCommand, CommandOutcome>(messageFor(command, meta));
    const { streamId, revision, position, duplicate } = outcome;
    return withEvents({ streamId, revision, position, commandId: outcome.commandId, duplicate, mintedIds: minted }, () => outcome.events);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    if (this.inFlight === 0) return;
    this.logger.log(`waiting for ${this.inFlight} in-flight command(s) before shutting down`);
    await Promise.race([
      new Promise<void>((resolve) => (this.drained = resolve)),
      new Promise<void>((resolve) => setTimeout(resolve, this.config.SHUTDOWN_TIMEOUT_MS).unref()),
    ]);
  }
}

type CommandOutcomeCommand = OrganisationCommandMessage | StrategyCommandMessage | PartnershipCommandMessage | PersonCommandMessage;

function messageFor(command: DomainCommand, meta: CommandMeta): CommandOutcomeCommand {
  switch (aggregateOf(command)) {
    case 'organisation':
      return new OrganisationCommandMessage(command as OrganisationCommandMessage['command'], meta);
    case 'strategy':
      return new StrategyCommandMessage(command as StrategyCommandMessage['command'], meta);
    case 'partnership':
      return new PartnershipCommandMessage(command as PartnershipCommandMessage['command'], meta);
    case 'person':
      return new PersonCommandMessage(command as PersonCommandMessage['command'], meta);
  }
}

function toIso(value: Date | string | null | undefined): string | null {
  if (value == null) return new Date().toISOString();
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * A deep copy of `value` as JSON.parse(JSON.stringify(value)) would give it, less the object
 * properties that are null: GraphQL sends explicit nulls for omitted optional fields in
 * variables, and the domain wants them absent. (As in JSON: toJSON is applied, undefined,
 * functions and symbols are left out of objects and become null in arrays, non-finite numbers
 * become null; a null in an array stays.) One walk instead of a clone, a stringify and a parse.
 */
export function jsonWithoutNulls(value: unknown): unknown {
  return copyWithoutNulls(toJsonValue(value));
}

function toJsonValue(value: unknown): unknown {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function'
    ? (value as { toJSON: () => unknown }).toJSON()
    : value;
}

/** `v`: toJSON applied already. */
function copyWithoutNulls(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object': {
      if (v === null) return null;
      if (Array.isArray(v)) return v.map((item) => copyWithoutNulls(toJsonValue(item)) ?? null);
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        const item = toJsonValue((v as Record<string, unknown>)[key]);
        if (item === null) continue;
        const copied = copyWithoutNulls(item);
        if (copied === undefined) continue;
        // As JSON.parse: an own property even for '__proto__' (an assignment would set the prototype).
        if (key === '__proto__') Object.defineProperty(copy, key, { value: copied, enumerable: true, writable: true, configurable: true });
        else copy[key] = copied;
      }
      return copy;
    }
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
}
