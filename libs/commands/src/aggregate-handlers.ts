import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import {
  type DecisionContext,
  HOME_STRATEGY_ID,
  type OrganisationCommand,
  type OrganisationEvent,
  type OrganisationState,
  type PartnershipCommand,
  type PartnershipEvent,
  type PartnershipState,
  type StrategyCommand,
  type StrategyEvent,
  type StrategyState,
  type PersonCommand,
  type PersonEvent,
  type PersonState,
  type EventType,
  deciders,
  schemaVersionOf,
} from '@ppl/domain';
import { EVENT_STORE, type EventStore } from '@ppl/event-store';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { PERSONAL_DATA, type PersonalData } from '@ppl/privacy';
import { COMMAND_OBSERVER, type CommandObserver } from './command-observer';
import { AggregateCommandHandler, FoldedStreams } from './aggregate-command.handler';
import {
  type AggregateCommand,
  OrganisationCommandMessage,
  PartnershipCommandMessage,
  PersonCommandMessage,
  StrategyCommandMessage,
} from './command-envelope';

const versionOf = (type: string) => schemaVersionOf(type as EventType);

@CommandHandler(OrganisationCommandMessage)
export class OrganisationCommandHandler extends AggregateCommandHandler<OrganisationCommand, OrganisationEvent, OrganisationState> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(COMMAND_OBSERVER) observer: CommandObserver,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(PERSONAL_DATA) personalData: PersonalData,
  ) {
    super(store, deciders.organisation, observer, config.COMMAND_CONFLICT_RETRIES, versionOf, personalData, config.AGGREGATE_CACHE_SIZE);
  }
}

@CommandHandler(StrategyCommandMessage)
export class StrategyCommandHandler extends AggregateCommandHandler<StrategyCommand, StrategyEvent, StrategyState> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(COMMAND_OBSERVER) observer: CommandObserver,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(PERSONAL_DATA) personalData: PersonalData,
  ) {
    super(store, deciders.strategy, observer, config.COMMAND_CONFLICT_RETRIES, versionOf, personalData, config.AGGREGATE_CACHE_SIZE);
  }
}

/** Partnership decisions see the home strategy: its escalation rules, boundaries and thresholds. */
@CommandHandler(PartnershipCommandMessage)
export class PartnershipCommandHandler extends AggregateCommandHandler<PartnershipCommand, PartnershipEvent, PartnershipState> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(COMMAND_OBSERVER) observer: CommandObserver,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(PERSONAL_DATA) personalData: PersonalData,
  ) {
    super(store, deciders.partnership, observer, config.COMMAND_CONFLICT_RETRIES, versionOf, personalData, config.AGGREGATE_CACHE_SIZE);
    // One strategy (the home organisation's): kept folded even when AGGREGATE_CACHE_SIZE is 0,
    // since its tail is read before every partnership decision anyway.
    this.strategies = new FoldedStreams<StrategyEvent, StrategyState>(
      store,
      deciders.strategy.initialState,
      (s, e) => deciders.strategy.evolve(s, e),
      1,
    );
  }

  private readonly strategies: FoldedStreams<StrategyEvent, StrategyState>;

  protected override async contextFor(message: AggregateCommand<PartnershipCommand>): Promise<DecisionContext> {
    const { state: strategy } = await this.strategies.load(`strategy-${HOME_STRATEGY_ID}`);
    return { actor: message.meta.actor, businessTime: message.meta.businessTime, strategy };
  }
}

/**
 * Forgetting a person: their key is destroyed, durably, before PersonForgotten is appended. A
 * crash in between leaves them forgotten; retrying with the same command id records the event.
 * A person with no key (nothing sealed yet, or forgotten before) is forgotten all the same.
 */
@CommandHandler(PersonCommandMessage)
export class PersonCommandHandler extends AggregateCommandHandler<PersonCommand, PersonEvent, PersonState> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(COMMAND_OBSERVER) observer: CommandObserver,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(PERSONAL_DATA) personalData: PersonalData,
  ) {
    super(store, deciders.person, observer, config.COMMAND_CONFLICT_RETRIES, versionOf, personalData, config.AGGREGATE_CACHE_SIZE);
  }

  /** Destroying a key acts on the world: decided only on the person's stream as stored. */
  protected override readonly optimistic = false;

  protected override async beforeAppend(command: PersonCommand): Promise<void> {
    await this.personalData.forget(command.personId);
  }
}
