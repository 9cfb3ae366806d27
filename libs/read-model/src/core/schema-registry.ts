import { InvalidSchemaError, UnknownCollectionError, UnknownProjectionError } from '../errors';
import type { CollectionDefinition, FieldType, ProjectionSchema } from '../read-model.port';

/** The document id is always queryable under this name. */
export const ID_FIELD = 'id';

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
/** Dot paths of identifiers only: adapters inline them in SQL and Mongo paths. */
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FIELD_TYPES: readonly FieldType[] = ['string', 'number', 'boolean', 'string[]', 'number[]'];

export interface FieldInfo {
  readonly path: string;
  readonly type: FieldType;
  /** The `id` pseudo-field: the document id, not a path in the document. */
  readonly isId: boolean;
}

export interface CollectionInfo {
  readonly name: string;
  readonly projection: string;
  readonly fields: ReadonlyMap<string, FieldInfo>;
  /** Declared fields other than `id`, in declaration order (the adapters index these). */
  readonly indexed: readonly FieldInfo[];
}

export const isArrayType = (type: FieldType): type is 'string[]' | 'number[]' =>
  type.endsWith('[]');
export const elementType = (type: 'string[]' | 'number[]'): 'string' | 'number' =>
  type === 'string[]' ? 'string' : 'number';

/** Which projection owns which collection, and what each collection declared. */
export class SchemaRegistry {
  private readonly projections = new Map<string, ProjectionSchema>();
  private readonly collections = new Map<string, CollectionInfo>();

  register(schema: ProjectionSchema): void {
    if (!NAME.test(schema.name))
      throw new InvalidSchemaError(`Invalid projection name "${schema.name}"`);
    if (!Number.isInteger(schema.version) || schema.version < 0) {
      throw new InvalidSchemaError(
        `Projection ${schema.name}: version must be a non-negative integer`,
      );
    }
    const infos: CollectionInfo[] = [];
    for (const definition of schema.collections) {
      const owner = this.collections.get(definition.name)?.projection;
      if (owner !== undefined && owner !== schema.name) {
        throw new InvalidSchemaError(
          `Collection "${definition.name}" already belongs to projection ${owner}`,
        );
      }
      infos.push(toCollectionInfo(schema.name, definition));
    }
    const previous = this.projections.get(schema.name);
    for (const c of previous?.collections ?? []) this.collections.delete(c.name);
    for (const info of infos) this.collections.set(info.name, info);
    this.projections.set(schema.name, schema);
  }

  projection(name: string): ProjectionSchema {
    const schema = this.projections.get(name);
    if (!schema) throw new UnknownProjectionError(name);
    return schema;
  }

  hasProjection(name: string): boolean {
    return this.projections.has(name);
  }

  collection(name: string): CollectionInfo {
    const info = this.collections.get(name);
    if (!info) throw new UnknownCollectionError(name);
    return info;
  }

  collectionsOf(projection: string): CollectionInfo[] {
    return this.projection(projection).collections.map((c) => this.collection(c.name));
  }
}

function toCollectionInfo(projection: string, definition: CollectionDefinition): CollectionInfo {
  if (!NAME.test(definition.name))
    throw new InvalidSchemaError(`Invalid collection name "${definition.name}"`);
  const fields = new Map<string, FieldInfo>([
    [ID_FIELD, { path: ID_FIELD, type: 'string', isId: true }],
  ]);
  const indexed: FieldInfo[] = [];
  for (const [path, type] of Object.entries(definition.indexes) as [string, FieldType][]) {
    if (path === ID_FIELD) continue;
    if (!PATH.test(path))
      throw new InvalidSchemaError(`Collection ${definition.name}: invalid field path "${path}"`);
    if (!FIELD_TYPES.includes(type)) {
      throw new InvalidSchemaError(
        `Collection ${definition.name}: field ${path} has unknown type "${String(type)}"`,
      );
    }
    const info: FieldInfo = { path, type, isId: false };
    fields.set(path, info);
    indexed.push(info);
  }
  return { name: definition.name, projection, fields, indexed };
}
