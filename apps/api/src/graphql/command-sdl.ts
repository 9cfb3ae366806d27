import type { z } from 'zod';

/**
 * Writes the GraphQL input types and the Mutation type from the domain's command schemas, so
 * the contract cannot drift from what the domain accepts: one mutation per command, its input
 * the command's fields. Enums and shared objects are named after the domain's exported
 * schemas (`LegalFormSchema` → `LegalForm`, `DelegateSchema` → `DelegateInput`); anonymous
 * ones after their place (`RecordEvaluationPeriodInput`). GraphQL has no input unions, so a
 * discriminated union becomes one input whose discriminator is an enum and whose variant
 * fields are optional; the domain schema still validates the combination.
 */

type Schema = z.ZodType;

interface Def {
  type: string;
  shape?: Record<string, Schema>;
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
  element?: Schema;
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  options?: readonly Schema[];
  discriminator?: string;
  format?: string;
  keyType?: Schema;
  valueType?: Schema;
  checks?: readonly { _zod: { def: { format?: string } } }[];
}

function defOf(schema: Schema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function description(schema: Schema): string | undefined {
  const meta = (schema as unknown as { description?: string }).description;
  return typeof meta === 'string' ? meta : undefined;
}

export interface CommandSdlOptions {
  /** Command schemas by command type (`ProposePartnership` → its zod schema). */
  readonly commands: Readonly<Record<string, Schema>>;
  /** Named schemas (`LegalFormSchema`, `DelegateSchema`, ...) by export name. */
  readonly namedSchemas: Readonly<Record<string, unknown>>;
  /** Field paths made optional in GraphQL because the API mints them when absent. */
  readonly optionalPaths: (commandType: string) => readonly string[];
  /** Fields the API fills in itself and the caller never sends (e.g. `type`). */
  readonly omitted: readonly string[];
  /** One-line description of each mutation. */
  readonly describe?: (commandType: string) => string | undefined;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function mutationName(commandType: string): string {
  return lowerFirst(commandType);
}

export function generateCommandSdl(options: CommandSdlOptions): string {
  const names = new Map<Schema, string>();
  for (const [exportName, value] of Object.entries(options.namedSchemas)) {
    if (!exportName.endsWith('Schema') || typeof value !== 'object' || value === null || !('_zod' in value)) continue;
    const schema = value as Schema;
    const kind = defOf(schema).type;
    const base = exportName.slice(0, -'Schema'.length);
    if (kind === 'enum') names.set(schema, base);
    else if (kind === 'object' || kind === 'union') names.set(schema, `${base}Input`);
  }

  const enums = new Map<string, string[]>();
  const inputs = new Map<string, string>();
  const enumKeys = new Map<string, string>();

  const enumName = (schema: Schema | null, fallback: string, values: string[]): string => {
    const key = values.join('|');
    const named = schema ? names.get(schema) : undefined;
    const existing = enumKeys.get(key);
    if (named) {
      enums.set(named, values);
      enumKeys.set(key, named);
      return named;
    }
    if (existing) return existing;
    enums.set(fallback, values);
    enumKeys.set(key, fallback);
    return fallback;
  };

  /** The GraphQL type of a schema, and whether it may be omitted. */
  const typeOf = (schema: Schema, place: string, optionalHere: readonly string[]): { type: string; optional: boolean } => {
    const def = defOf(schema);
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
        return { type: typeOf(def.innerType as Schema, place, optionalHere).type, optional: true };
      case 'pipe':
        return typeOf(def.in as Schema, place, optionalHere);
      case 'readonly':
        return typeOf(def.innerType as Schema, place, optionalHere);
      case 'string':
        if (def.format === 'datetime') return { type: 'DateTime', optional: false };
        return { type: 'String', optional: false };
      case 'number': {
        const int = def.format === 'safeint' || def.checks?.some((c) => c._zod.def.format === 'safeint');
        return { type: int ? 'Int' : 'Float', optional: false };
      }
      case 'boolean':
        return { type: 'Boolean', optional: false };
      case 'enum': {
        const values = Object.values(def.entries ?? {}).map(String);
        return { type: enumName(schema, `${place}Value`, values), optional: false };
      }
      case 'literal': {
        const values = (def.values ?? []).map(String);
        return { type: enumName(schema, `${place}Value`, values), optional: false };
      }
      case 'array': {
        const element = typeOf(def.element as Schema, place, optionalHere.map((p) => p.replace(/^\[\]\./, '')));
        return { type: `[${element.type}!]`, optional: false };
      }
      case 'object':
        return { type: objectInput(schema, names.get(schema) ?? `${place}Input`, optionalHere), optional: false };
      case 'record': {
        // A record keyed by an enum is exhaustive in zod: one required field per key.
        const keys = def.keyType ? defOf(def.keyType) : undefined;
        if (keys?.type !== 'enum' || !def.valueType) return { type: 'JSON', optional: false };
        const typeName = names.get(schema) ?? `${place}Input`;
        if (!inputs.has(typeName)) {
          inputs.set(typeName, '');
          const fields = Object.values(keys.entries ?? {}).map((k): [string, Schema] => [String(k), def.valueType as Schema]);
          inputs.set(typeName, `input ${typeName} {\n${fieldLines(fields, typeName, optionalHere, () => false).join('\n')}\n}`);
        }
        return { type: typeName, optional: false };
      }
      case 'union':
        return { type: unionInput(schema, names.get(schema) ?? `${place}Input`, optionalHere), optional: false };
      default:
        return { type: 'JSON', optional: false };
    }
  };

  const fieldLines = (
    fields: [string, Schema][],
    typeName: string,
    optionalPaths: readonly string[],
    alwaysOptional: (field: string) => boolean,
  ): string[] =>
    fields
      .filter(([field]) => !options.omitted.includes(field))
      .map(([field, fieldSchema]) => {
        const nested = optionalPaths
          .filter((p) => p.startsWith(`${field}.`) || p.startsWith(`${field}[]`))
          .map((p) => p.slice(field.length).replace(/^\[\]/, '').replace(/^\./, ''));
        const { type, optional } = typeOf(fieldSchema, `${typeName.replace(/Input$/, '')}${upperFirst(field)}`, nested);
        const mayOmit = optional || optionalPaths.includes(field) || alwaysOptional(field);
        const doc = description(fieldSchema);
        return `${doc ? `  "${doc.replace(/"/g, "'")}"\n` : ''}  ${field}: ${type}${mayOmit ? '' : '!'}`;
      });

  function objectInput(schema: Schema, typeName: string, optionalPaths: readonly string[]): string {
    if (!inputs.has(typeName)) {
      inputs.set(typeName, ''); // reserve against recursion
      const shape = defOf(schema).shape ?? {};
      const lines = fieldLines(Object.entries(shape), typeName, optionalPaths, () => false);
      inputs.set(typeName, `input ${typeName} {\n${lines.join('\n')}\n}`);
    }
    return typeName;
  }

  function unionInput(schema: Schema, typeName: string, optionalPaths: readonly string[]): string {
    if (!inputs.has(typeName)) {
      inputs.set(typeName, '');
      const def = defOf(schema);
      const variants = (def.options ?? []).map((o) => defOf(o).shape ?? {});
      const discriminator = def.discriminator;
      const fieldNames = [...new Set(variants.flatMap((v) => Object.keys(v)))];
      const fields: [string, Schema][] = [];
      for (const field of fieldNames) {
        if (field === discriminator) continue;
        const first = variants.find((v) => field in v);
        if (first) fields.push([field, first[field] as Schema]);
      }
      const inAll = (field: string) => variants.every((v) => field in v);
      const lines: string[] = [];
      if (discriminator) {
        const values = variants.flatMap((v) => (defOf(v[discriminator] as Schema).values ?? []).map(String));
        const name = enumName(null, `${typeName.replace(/Input$/, '')}${upperFirst(discriminator)}`, values);
        lines.push(`  ${discriminator}: ${name}!`);
      }
      lines.push(...fieldLines(fields, typeName, optionalPaths, (f) => !inAll(f)));
      inputs.set(typeName, `input ${typeName} {\n${lines.join('\n')}\n}`);
    }
    return typeName;
  }

  const mutations: string[] = [];
  for (const commandType of Object.keys(options.commands).sort()) {
    const schema = options.commands[commandType] as Schema;
    const inputName = objectInput(schema, `${commandType}Input`, options.optionalPaths(commandType));
    const doc = options.describe?.(commandType);
    mutations.push(
      `${doc ? `  "${doc.replace(/"/g, "'")}"\n` : ''}  ${mutationName(commandType)}(input: ${inputName}!, commandId: ID, expectedRevision: Int, businessTime: DateTime): CommandResult!`,
    );
  }

  const enumBlocks = [...enums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, values]) => `enum ${name} {\n${values.map((v) => `  ${v}`).join('\n')}\n}`);
  const inputBlocks = [...inputs.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, block]) => block);
  return [
    '# ---- Generated from the domain’s command schemas (npm run schema:write); do not edit by hand. ----',
    '',
    `type Mutation {\n${mutations.join('\n')}\n}`,
    ...inputBlocks,
    ...enumBlocks,
  ].join('\n\n');
}
