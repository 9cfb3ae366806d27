import type { Condition, SortSpec } from '../core/query';
import type { FieldInfo } from '../core/schema-registry';
import type { Scalar } from '../read-model.port';

/** SQLite binds booleans as 1/0, which is how json_extract returns JSON true/false. */
export type SqlParam = string | number | null;

const bind = (value: Scalar): SqlParam => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

/**
 * Every declared field is a generated column of its table, computed from the document when it
 * is written (STORED), indexed, and what filters and sorts read: a query never parses the JSON
 * of the rows it scans (rows of the portfolio are kilobytes). Paths are validated identifiers.
 */
export const columnName = (field: FieldInfo): string => `f_${field.path.replace(/\./g, '__')}`;

/** The expression that computes a field's column from the document. */
export const extractExpression = (field: FieldInfo): string => `json_extract(doc, '$.${field.path}')`;

/** The SQL expression of a declared field in queries and indexes: its column. */
export const fieldExpression = (field: FieldInfo): string => (field.isId ? 'id' : `"${columnName(field)}"`);

/** Compile a condition to a WHERE clause; pushes its parameters onto `params`. */
export function toSql(condition: Condition, params: SqlParam[]): string {
  switch (condition.kind) {
    case 'true':
      return '1';
    case 'false':
      return '0';
    case 'and':
    case 'or':
      return `(${condition.items.map((c) => toSql(c, params)).join(condition.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'eq':
      params.push(bind(condition.value));
      return `${fieldExpression(condition.field)} = ?`;
    case 'ne':
      params.push(bind(condition.value));
      return `(${fieldExpression(condition.field)} IS NULL OR ${fieldExpression(condition.field)} <> ?)`;
    case 'in':
    case 'nin': {
      const expression = fieldExpression(condition.field);
      const list = condition.values.map((v) => {
        params.push(bind(v));
        return '?';
      });
      if (condition.kind === 'in') {
        const parts = list.length > 0 ? [`${expression} IN (${list.join(', ')})`] : [];
        if (condition.orNull) parts.push(`${expression} IS NULL`);
        return parts.length > 0 ? `(${parts.join(' OR ')})` : '0';
      }
      const notIn = list.length > 0 ? `${expression} NOT IN (${list.join(', ')})` : '1';
      return condition.orNull
        ? `(${expression} IS NOT NULL AND ${notIn})`
        : `(${expression} IS NULL OR ${notIn})`;
    }
    case 'range': {
      const op = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[condition.op];
      params.push(bind(condition.value));
      return `${fieldExpression(condition.field)} ${op} ?`;
    }
    case 'contains':
      params.push(condition.text);
      return `ppl_icontains(${fieldExpression(condition.field)}, ?) = 1`;
    case 'has': {
      // The column holds the array's JSON text, so json_each reads a few bytes, not the document.
      const column = fieldExpression(condition.field);
      if (condition.mode === 'any') {
        const list = condition.values.map((v) => {
          params.push(v);
          return '?';
        });
        return `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value IN (${list.join(', ')}))`;
      }
      return `(${condition.values
        .map((v) => {
          params.push(v);
          return `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?)`;
        })
        .join(' AND ')})`;
    }
    case 'exists':
      return `${fieldExpression(condition.field)} IS ${condition.exists ? 'NOT ' : ''}NULL`;
  }
}

/** SQLite orders NULL first ascending and last descending, as MongoDB does. */
export const toOrderBy = (sort: readonly SortSpec[]): string =>
  sort
    .map((s) => `${fieldExpression(s.field)} ${s.direction === 'asc' ? 'ASC' : 'DESC'}`)
    .join(', ');

/** Case-insensitive substring, registered as a SQLite function. */
export function icontains(value: unknown, needle: unknown): number {
  if (typeof value !== 'string' || typeof needle !== 'string') return 0;
  return value.toLowerCase().includes(needle.toLowerCase()) ? 1 : 0;
}
