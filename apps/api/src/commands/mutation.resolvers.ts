import type { CommandType } from '@ppl/domain';
import type { Actor, RecordedEvent } from '@ppl/event-store';
import type { Request } from 'express';
import { mutationName } from '../graphql/command-sdl';
import { COMMAND_TYPES, type CommandGateway, type CommandOptions, type GatewayResult, withEvents } from '@ppl/commands';
import { currentCorrelationId } from '../observability/request-context';
import { principalOf } from '../auth/secure-schema';
import type { Principal } from '@ppl/auth';

interface MutationArgs extends CommandOptions {
  readonly input: unknown;
}

export interface GraphQLRequestContext {
  readonly req?: Request;
  /** The verified caller (HttpSecurity on HTTP; see secure-schema.ts). */
  readonly principal?: Principal;
}

/** The actor recorded on every event: the token's subject, role and organisation. */
export function actorOf(context: GraphQLRequestContext): Actor {
  const principal = principalOf(context);
  return {
    id: principal.id,
    role: principal.role,
    ...(principal.organisationId ? { organisationId: principal.organisationId } : {}),
  };
}

export function toGraphQLEvent(event: RecordedEvent) {
  return { ...event, recordedAt: new Date(event.recordedAt) };
}

/**
 * One resolver per command, all alike: each translates its arguments and hands them to the
 * gateway. Built from the command catalog, so a new command needs no resolver code. The role
 * matrix has been applied before they run (secureSchema wraps every Mutation field).
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
        // The recorded events are made (and converted) only if the mutation selects them.
        const { streamId, revision, position, commandId, duplicate, mintedIds } = result;
        return withEvents({ streamId, revision, position, commandId, duplicate, mintedIds }, () => result.events.map(toGraphQLEvent));
      },
    ]),
  );
}
