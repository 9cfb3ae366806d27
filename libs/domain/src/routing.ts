import type { z } from 'zod';
import type { Decider } from './shared/decider';
import type { DecisionContext } from './shared/decision-context';
import { organisationDecider } from './organisation/organisation.decider';
import { organisationCommandSchemas, type OrganisationCommand } from './organisation/organisation.commands';
import type { OrganisationEvent } from './organisation/organisation.events';
import type { OrganisationState } from './organisation/organisation.state';
import { strategyDecider } from './strategy/strategy.decider';
import { strategyCommandSchemas, type StrategyCommand } from './strategy/strategy.commands';
import type { StrategyEvent } from './strategy/strategy.events';
import type { StrategyState } from './strategy/strategy.state';
import { partnershipDecider } from './partnership/partnership.decider';
import { partnershipCommandSchemas, type PartnershipCommand } from './partnership/partnership.commands';
import type { PartnershipEvent } from './partnership/partnership.events';
import type { PartnershipState } from './partnership/partnership.state';
import { personCommandSchemas, personDecider, type PersonCommand, type PersonEvent, type PersonState } from './person/person';

export type DomainCommand = OrganisationCommand | StrategyCommand | PartnershipCommand | PersonCommand;
export type DomainEvent = OrganisationEvent | StrategyEvent | PartnershipEvent | PersonEvent;
export type CommandType = DomainCommand['type'];
export type AggregateName = 'organisation' | 'strategy' | 'partnership' | 'person';

/** Runtime schemas (zod, strict) of every command, by type: the API validates input with them. */
export const commandSchemas = {
  ...organisationCommandSchemas,
  ...strategyCommandSchemas,
  ...partnershipCommandSchemas,
  ...personCommandSchemas,
} as const satisfies Record<CommandType, z.ZodType>;

const STRATEGY_COMMANDS: readonly string[] = Object.keys(strategyCommandSchemas);
const ORGANISATION_COMMANDS: readonly string[] = Object.keys(organisationCommandSchemas);
const PERSON_COMMANDS: readonly string[] = Object.keys(personCommandSchemas);

function isStrategyCommand(command: DomainCommand): command is StrategyCommand {
  return STRATEGY_COMMANDS.includes(command.type);
}
function isOrganisationCommand(command: DomainCommand): command is OrganisationCommand {
  return ORGANISATION_COMMANDS.includes(command.type);
}

function isPersonCommand(command: DomainCommand): command is PersonCommand {
  return PERSON_COMMANDS.includes(command.type);
}

export function aggregateOf(command: DomainCommand): AggregateName {
  if (isPersonCommand(command)) return 'person';
  if (isOrganisationCommand(command)) return 'organisation';
  if (isStrategyCommand(command)) return 'strategy';
  return 'partnership';
}

/** The stream a command is decided on: `organisation-<id>`, `strategy-<id>`, `partnership-<id>`, `person-<id>`. */
export function streamIdOf(command: DomainCommand): string {
  if (isPersonCommand(command)) return `person-${command.personId}`;
  if (isOrganisationCommand(command)) return `organisation-${command.organisationId}`;
  if (isStrategyCommand(command)) return `strategy-${command.strategyId}`;
  return `partnership-${command.partnershipId}`;
}

export interface Deciders {
  organisation: Decider<OrganisationCommand, OrganisationEvent, OrganisationState, DecisionContext>;
  strategy: Decider<StrategyCommand, StrategyEvent, StrategyState, DecisionContext>;
  partnership: Decider<PartnershipCommand, PartnershipEvent, PartnershipState, DecisionContext>;
  person: Decider<PersonCommand, PersonEvent, PersonState, DecisionContext>;
}

export const deciders: Deciders = {
  organisation: organisationDecider,
  strategy: strategyDecider,
  partnership: partnershipDecider,
  person: personDecider,
};

/** The aggregate a stream belongs to, from its id prefix (for readers of the global stream). */
export function aggregateOfStream(streamId: string): AggregateName | null {
  if (streamId.startsWith('organisation-')) return 'organisation';
  if (streamId.startsWith('strategy-')) return 'strategy';
  if (streamId.startsWith('partnership-')) return 'partnership';
  if (streamId.startsWith('person-')) return 'person';
  return null;
}

/** Validates unknown input as a command of the given type; a zod error carries field paths. */
export function parseCommand<T extends CommandType>(type: T, input: unknown): Extract<DomainCommand, { type: T }> {
  return commandSchemas[type].parse({ ...(input as object), type }) as Extract<DomainCommand, { type: T }>;
}
