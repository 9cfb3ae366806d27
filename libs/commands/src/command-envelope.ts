import type { DomainCommand, OrganisationCommand, PartnershipCommand, PersonCommand, StrategyCommand } from '@ppl/domain';
import type { Actor, RecordedEvent } from '@ppl/event-store';

/** What travels with every command besides its content; becomes the events' metadata. */
export interface CommandMeta {
  readonly commandId: string;
  /** The stream revision the caller read; absent: the handler reads it and retries on conflict. */
  readonly expectedRevision?: number;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId?: string;
  /** ISO-8601; the only clock the domain sees. */
  readonly businessTime: string;
}

export interface CommandOutcome {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly commandId: string;
  /** True when the command id had been recorded before and nothing new was recorded. */
  readonly duplicate: boolean;
  readonly events: readonly RecordedEvent[];
}

/**
 * `outcome` with its `events` made by `events()` when first read (and kept): a caller that
 * only wants the revision or position pays nothing for them. Spreading the result reads them.
 */
export function withEvents<T extends object, V = RecordedEvent>(outcome: T, events: () => readonly V[]): T & { readonly events: readonly V[] } {
  let made: readonly V[] | undefined;
  return Object.defineProperty(outcome, 'events', {
    enumerable: true,
    configurable: true,
    get: () => (made ??= events()),
  }) as T & { readonly events: readonly V[] };
}

/** One CQRS command class per aggregate: each is taken by that aggregate's generic handler. */
export abstract class AggregateCommand<C extends DomainCommand> {
  constructor(
    readonly command: C,
    readonly meta: CommandMeta,
  ) {}
}
export class OrganisationCommandMessage extends AggregateCommand<OrganisationCommand> {}
export class StrategyCommandMessage extends AggregateCommand<StrategyCommand> {}
export class PartnershipCommandMessage extends AggregateCommand<PartnershipCommand> {}
export class PersonCommandMessage extends AggregateCommand<PersonCommand> {}
