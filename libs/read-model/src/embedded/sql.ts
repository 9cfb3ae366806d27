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

/**
 * Compile a condition to a WHERE clause; pushes its parameters onto `params`. With `table` (the
 * fields table the clause filters), conditions that no index answers (`contains`, `has`) become
 * `id IN (SELECT id FROM table WHERE …)`: SQLite evaluates them over the field's own covering
 * index — a narrow scan — instead of reading each candidate's row found by another condition.
 */
export function toSql(condition: Condition, params: SqlParam[], table?: string): string {
  const scanned = (where: string): string => (table === undefined ? where : `id IN (SELECT id FROM ${table} WHERE ${where})`);
  switch (condition.kind) {
    case 'true':
      return '1';
    case 'false':
      return '0';
    case 'and':
    case 'or':
      return `(${condition.items.map((c) => toSql(c, params, table)).join(condition.kind === 'and' ? ' AND ' : ' OR ')})`;
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
    case 'contains': {
      const column = fieldExpression(condition.field);
      const lowered = condition.text.toLowerCase();
      // LIKE reads its pattern up to a NUL character: such needles are matched in JavaScript only.
      if (lowered.length > MAX_LIKE_NEEDLE || lowered.includes('\0')) {
        params.push(condition.text);
        return scanned(`ppl_icontains(${column}, ?) = 1`);
      }
      // SQLite's LIKE folds ASCII case only, which is exactly what JavaScript's toLowerCase does
      // to ASCII text: ASCII values (as many characters as bytes) are matched natively; only the
      // others call back into JavaScript (a callback per row of a 10,000-row scan costs ~10 ms).
      params.push(`%${escapeLike(lowered)}%`, condition.text);
      const ascii = `length(${column}) = octet_length(${column})`;
      return scanned(
        `((${ascii} AND ${column} LIKE ? ESCAPE '\\') OR (NOT ${ascii} AND ppl_icontains(${column}, ?) = 1))`,
      );
    }
    case 'has': {
      // The column holds the array's JSON text, so json_each reads a few bytes, not the document;
      // a native LIKE on that text first discards the rows that cannot match (see hasPrefilter),
      // so json_each only runs on candidates.
      const column = fieldExpression(condition.field);
      if (condition.mode === 'any') {
        const prefilter = hasPrefilter(column, condition.values, params);
        const list = condition.values.map((v) => {
          params.push(v);
          return '?';
        });
        const exact = `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value IN (${list.join(', ')}))`;
        return scanned(prefilter ? `${prefilter} AND ${exact}` : exact);
      }
      return `(${condition.values
        .map((v) => {
          const prefilter = hasPrefilter(column, [v], params);
          params.push(v);
          const exact = `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?)`;
          return scanned(prefilter ? `${prefilter} AND ${exact}` : exact);
        })
        .join(' AND ')})`;
    }
    case 'exists':
      return `${fieldExpression(condition.field)} IS ${condition.exists ? 'NOT ' : ''}NULL`;
  }
}

/** Longer needles skip the LIKE path (SQLite caps LIKE patterns at 50,000 bytes). */
const MAX_LIKE_NEEDLE = 10_000;

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A necessary condition for "the array holds one of `values`", checked natively on the array's
 * JSON text: documents are written with JSON.stringify, whose text holds a string that needs no
 * escaping verbatim between quotes, and json_extract keeps it so; LIKE (ASCII case folded) then
 * keeps every row that can match and a few more, which json_each decides exactly. Undefined
 * (no prefilter) when a value is a number or needs escaping in JSON.
 */
function hasPrefilter(column: string, values: readonly (string | number)[], params: SqlParam[]): string | undefined {
  if (values.length === 0 || values.length > 20) return undefined;
  const quoted: string[] = [];
  for (const value of values) {
    if (typeof value !== 'string' || JSON.stringify(value) !== `"${value}"` || value.length > MAX_LIKE_NEEDLE) return undefined;
    quoted.push(`%"${escapeLike(value)}"%`);
  }
  params.push(...quoted);
  return `(${quoted.map(() => `${column} LIKE ? ESCAPE '\\'`).join(' OR ')})`;
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
