import type { CommandType } from '@ppl/domain';
import type { Actor, RecordedEvent } from '@ppl/event-store';
import type { Request } from 'express';
import { mutationName } from '../graphql/command-sdl';
import { COMMAND_TYPES, type CommandGateway, type CommandOptions, type GatewayResult } from '@ppl/commands';
import { currentCorrelationId } from '../observability/request-context';

interface MutationArgs extends CommandOptions {
  readonly input: unknown;
}

export interface GraphQLRequestContext {
  readonly req?: Request;
  /** Set once authentication is in place; until then the `x-actor` headers name the actor. */
  readonly actor?: Actor;
}

/** Until tokens are verified, the actor is whoever the `x-actor` headers say (default anonymous). */
export function actorOf(context: GraphQLRequestContext): Actor {
  if (context.actor) return context.actor;
  const header = (name: string) => {
    const value = context.req?.header(name)?.trim();
    return value && value.length <= 200 ? value : undefined;
  };
  const role = header('x-actor-role');
  const organisationId = header('x-actor-organisation');
  return {
    id: header('x-actor') ?? 'anonymous',
    ...(role ? { role } : {}),
    ...(organisationId ? { organisationId } : {}),
  };
}

export function toGraphQLEvent(event: RecordedEvent) {
  return { ...event, recordedAt: new Date(event.recordedAt) };
}

/**
 * One resolver per command, all alike: each translates its arguments and hands them to the
 * gateway. Built from the command catalog, so a new command needs no resolver code.
 */
export function buildMutationResolvers(gateway: CommandGateway) {
  return Object.fromEntries(
    COMMAND_TYPES.map((type: CommandType) => [
      mutationName(type),
      async (_parent: unknown, args: MutationArgs, context: GraphQLRequestContext) => {
        const result: GatewayResult = await gateway.execute(
          type,
          args.input,
          { ...args, correlationId: currentCorrelationId() },
          actorOf(context),
        );
        return { ...result, events: result.events.map(toGraphQLEvent) };
      },
    ]),
  );
}
