import type { Condition, SortSpec } from '../core/query';
import type { FieldInfo } from '../core/schema-registry';

/** Stored shape: the document under `d`, so its own keys can never collide with `_id`. */
export const fieldPath = (field: FieldInfo): string => (field.isId ? '_id' : `d.${field.path}`);

/**
 * A needle as a regular expression matching it literally. A NUL is written `\x00`: the server
 * refuses a pattern that holds one ("Regular expression cannot contain an embedded null byte").
 */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&').replace(/\0/g, '\\x00');

type MongoCondition = Record<string, unknown>;

/**
 * Compile a condition to a MongoDB query. MongoDB's own null semantics are the contract's
 * (`$eq: null` matches missing, `$ne`/`$nin` match missing), so this is nearly one-to-one.
 */
export function toMongoFilter(condition: Condition): MongoCondition {
  switch (condition.kind) {
    case 'true':
      return {};
    case 'false':
      return { _id: { $exists: false } }; // every document has an _id
    case 'and':
      return { $and: condition.items.map(toMongoFilter) };
    case 'or':
      return { $or: condition.items.map(toMongoFilter) };
    case 'eq':
      return { [fieldPath(condition.field)]: { $eq: condition.value } };
    case 'ne':
      return { [fieldPath(condition.field)]: { $ne: condition.value } };
    case 'in':
      return {
        [fieldPath(condition.field)]: {
          $in: condition.orNull ? [...condition.values, null] : [...condition.values],
        },
      };
    case 'nin':
      return {
        [fieldPath(condition.field)]: {
          $nin: condition.orNull ? [...condition.values, null] : [...condition.values],
        },
      };
    case 'range':
      return { [fieldPath(condition.field)]: { [`$${condition.op}`]: condition.value } };
    case 'contains':
      return {
        [fieldPath(condition.field)]: { $regex: escapeRegExp(condition.text), $options: 'i' },
      };
    case 'has':
      return {
        [fieldPath(condition.field)]:
          condition.mode === 'any'
            ? { $in: [...condition.values] }
            : { $all: [...condition.values] },
      };
    case 'exists':
      return { [fieldPath(condition.field)]: condition.exists ? { $ne: null } : { $eq: null } };
  }
}

/** MongoDB orders null/missing lowest, like SQLite: same order on both adapters. */
export function toMongoSort(sort: readonly SortSpec[]): Record<string, 1 | -1> {
  const spec: Record<string, 1 | -1> = {};
  for (const s of sort) spec[fieldPath(s.field)] = s.direction === 'asc' ? 1 : -1;
  return spec;
}
