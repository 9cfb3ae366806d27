import { type GraphQLFieldResolver, type GraphQLSchema, defaultFieldResolver, isObjectType } from 'graphql';
import type { PersonalData } from '@ppl/privacy';

/** The SDL directive that marks a field able to carry personal data. */
export const PERSONAL_DIRECTIVE = 'personal';

/**
 * Opens personal data at the edge: every field marked `@personal` in the SDL (a string, or JSON
 * walked deeply) has its sealed values opened for the reader, or `[redacted]` once the person is
 * forgotten. Only marked fields pay for it. Applied in place to the executable schema, so it holds
 * for queries, mutation results and subscription payloads alike. Returns the names it wrapped.
 */
export function revealPersonalFields(schema: GraphQLSchema, personalData: PersonalData): string[] {
  const wrapped: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const [name, field] of Object.entries(type.getFields())) {
      if (!field.astNode?.directives?.some((d) => d.name.value === PERSONAL_DIRECTIVE)) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = async (parent, args, context, info) => personalData.revealDeep(await resolve(parent, args, context, info), name);
      wrapped.push(`${type.name}.${name}`);
    }
  }
  return wrapped;
}
