import type { GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { defaultFieldResolver, getNullableType, isListType } from 'graphql';
import {
  type Principal,
  UnauthenticatedError,
  authoriseCommand,
  authoriseRead,
  authoriseSubscription,
  mayRead,
  mayReadPersonalData,
  NESTED_READS,
} from '@ppl/auth';
import { COMMAND_TYPES } from '@ppl/commands';
import { mutationName } from '../graphql/command-sdl';
import { REDACTED, redactEventData } from './redaction';

/** What every resolver finds in its context: the caller verified at the edge (HTTP or WebSocket). */
export interface SecuredContext {
  readonly principal?: Principal;
}

type Resolver = GraphQLFieldResolver<unknown, SecuredContext, Record<string, unknown>>;

/** A resolver reached without a verified caller: fail closed. */
export function principalOf(context: SecuredContext | undefined): Principal {
  const principal = context?.principal;
  if (!principal) throw new UnauthenticatedError();
  return principal;
}

/**
 * The one place where the role matrix (`@ppl/auth`'s policy) is enforced for GraphQL callers,
 * applied to the executable schema Nest builds (so it holds over HTTP and over graphql-ws alike):
 *
 * - every Query field runs `authoriseRead(principal, field)` before its resolver;
 * - every Mutation field runs `authoriseCommand(principal, commandType, input)` before the command
 *   reaches the gateway (a refusal is FORBIDDEN and records nothing);
 * - every Subscription field runs `authoriseSubscription(principal, field)` before it subscribes;
 * - fields of other types that carry a guarded Query field's answer (`NESTED_READS`) read null, or
 *   an empty list, for a role refused that field;
 * - `RecordedEvent.data` and `Person.name` are redacted for callers who may not read personal data
 *   (INTEGRATOR): wherever an event or a person appears (partnershipHistory, mutation results,
 *   time travel, the portfolio rows, every subscription payload).
 *
 * A root field reached without a principal is UNAUTHENTICATED. Internal callers (the review
 * scheduler, the seed CLI) call the CommandGateway directly and are trusted.
 */
export function secureSchema(schema: GraphQLSchema): GraphQLSchema {
  const commandOf = new Map<string, string>(COMMAND_TYPES.map((type) => [mutationName(type), type]));

  wrapFields(schema.getQueryType(), (name, resolve) => (parent, args, context, info) => {
    authoriseRead(principalOf(context), name);
    return resolve(parent, args, context, info);
  });

  wrapFields(schema.getMutationType(), (name, resolve) => (parent, args, context, info) => {
    const type = commandOf.get(name);
    // A mutation that is not a command (none today) is refused rather than left open.
    authoriseCommand(principalOf(context), type ?? name, args.input);
    return resolve(parent, args, context, info);
  });

  const subscription = schema.getSubscriptionType();
  if (subscription) {
    for (const [name, field] of Object.entries(subscription.getFields())) {
      const subscribe = field.subscribe ?? defaultFieldResolver;
      field.subscribe = (parent, args, context: SecuredContext, info) => {
        authoriseSubscription(principalOf(context), name);
        return subscribe(parent, args, context, info);
      };
    }
  }

  const eventType = schema.getType('RecordedEvent') as GraphQLObjectType | undefined;
  const data = eventType?.getFields().data;
  if (!data) throw new Error('RecordedEvent.data missing from the schema: personal data could not be redacted');
  const readData: Resolver = data.resolve ?? defaultFieldResolver;
  data.resolve = async (parent, args, context, info) => {
    const value: unknown = await readData(parent, args, context, info);
    if (mayReadPersonalData(principalOf(context))) return value;
    return redactEventData(String((parent as { type?: unknown }).type), value);
  };

  for (const [path, guarded] of Object.entries(NESTED_READS)) {
    const [typeName, fieldName] = path.split('.') as [string, string];
    const field = (schema.getType(typeName) as GraphQLObjectType | undefined)?.getFields()[fieldName];
    if (!field) throw new Error(`${path} missing from the schema: the role matrix could not guard it`);
    const read: Resolver = (field.resolve ?? defaultFieldResolver) as Resolver;
    const refused = isListType(getNullableType(field.type)) ? [] : null;
    field.resolve = (parent, args, context, info) =>
      mayRead(principalOf(context), guarded) ? read(parent, args, context, info) : refused;
  }

  const personType = schema.getType('Person') as GraphQLObjectType | undefined;
  const name = personType?.getFields().name;
  if (!name) throw new Error('Person.name missing from the schema: personal data could not be redacted');
  const readName: Resolver = name.resolve ?? defaultFieldResolver;
  name.resolve = async (parent, args, context, info) => {
    const value: unknown = await readName(parent, args, context, info);
    return mayReadPersonalData(principalOf(context)) ? value : REDACTED;
  };

  return schema;
}

function wrapFields(type: GraphQLObjectType | null | undefined, wrap: (name: string, resolve: Resolver) => Resolver): void {
  if (!type) return;
  for (const [name, field] of Object.entries(type.getFields())) {
    field.resolve = wrap(name, (field.resolve ?? defaultFieldResolver) as Resolver);
  }
}
