import { compileQuery, encodeCursor } from '../core/query';
import { SchemaRegistry } from '../core/schema-registry';
import { escapeRegExp, toMongoFilter, toMongoSort } from './mongo-filter';

/**
 * Unit test of the translation only (query AST → MongoDB query document). Whether MongoDB then
 * answers like the embedded adapter is what the contract suite proves against a real server
 * (mongodb-read-model.int.spec.ts, with MONGODB_URL).
 */
const registry = new SchemaRegistry();
registry.register({
  name: 'portfolio',
  version: 1,
  collections: [
    {
      name: 'rows',
      indexes: {
        name: 'string',
        health: 'number',
        ended: 'boolean',
        signals: 'string[]',
        'metrics.spread': 'number',
      },
    },
  ],
});
const rows = registry.collection('rows');

describe('MongoDB query translation', () => {
  it('maps each filter kind with MongoDB null semantics', () => {
    const { filter } = compileQuery(rows, {
      filter: {
        name: { contains: 'a.b(c)*' },
        health: { in: [1, null], gte: 0 },
        ended: { ne: true },
        signals: { hasAll: ['A', 'B'] },
        'metrics.spread': { exists: false },
        id: { nin: ['x'] },
      },
    });
    expect(toMongoFilter(filter)).toEqual({
      $and: [
        { 'd.name': { $regex: 'a\\.b\\(c\\)\\*', $options: 'i' } },
        { $and: [{ 'd.health': { $in: [1, null] } }, { 'd.health': { $gte: 0 } }] },
        { 'd.ended': { $ne: true } },
        { 'd.signals': { $all: ['A', 'B'] } },
        { 'd.metrics.spread': { $eq: null } },
        { _id: { $nin: ['x'] } },
      ],
    });
  });

  it('builds keyset conditions after a cursor, nulls lowest', () => {
    const first = compileQuery(rows, { sort: [{ field: 'health', direction: 'desc' }] });
    expect(toMongoSort(first.sort)).toEqual({ 'd.health': -1, _id: 1 });
    const after = encodeCursor(first.sort, { health: 2 }, 'p1');
    const next = compileQuery(rows, { sort: [{ field: 'health', direction: 'desc' }], after });
    expect(toMongoFilter(next.pageFilter)).toEqual({
      $or: [
        { $or: [{ 'd.health': { $lt: 2 } }, { 'd.health': { $eq: null } }] },
        { $and: [{ 'd.health': { $eq: 2 } }, { _id: { $gt: 'p1' } }] },
      ],
    });
  });

  it('builds the at-or-before-the-cursor condition that hasPreviousPage looks for', () => {
    const sort = [{ field: 'health', direction: 'desc' as const }];
    const after = encodeCursor(compileQuery(rows, { sort }).sort, { health: 2 }, 'p1');
    const next = compileQuery(rows, { sort, after, filter: { ended: false } });
    // Before 2 in descending order: greater (nulls come last descending); then the cursor's own
    // keys. (An id is never null: its null branch is the generic keyset's, and matches nothing.)
    expect(next.precedingFilter && toMongoFilter(next.precedingFilter)).toEqual({
      $and: [
        { 'd.ended': { $eq: false } },
        {
          $or: [
            { 'd.health': { $gt: 2 } },
            { $and: [{ 'd.health': { $eq: 2 } }, { $or: [{ _id: { $lt: 'p1' } }, { _id: { $eq: null } }] }] },
            { $and: [{ 'd.health': { $eq: 2 } }, { _id: { $eq: 'p1' } }] },
          ],
        },
      ],
    });
    expect(compileQuery(rows, { sort }).precedingFilter).toBeNull();
  });

  it('matches nothing for an always-false condition, everything for an empty filter', () => {
    expect(
      toMongoFilter(compileQuery(rows, { filter: { signals: { hasAny: [] } } }).filter),
    ).toEqual({ _id: { $exists: false } });
    expect(toMongoFilter(compileQuery(rows, {}).filter)).toEqual({});
  });

  it('writes a NUL character of a needle as \\x00: the server refuses a pattern that holds one', () => {
    const pattern = escapeRegExp('a\0b');
    expect(pattern).not.toContain('\0');
    expect(new RegExp(pattern, 'i').test('xA\0By')).toBe(true);
    expect(new RegExp(pattern, 'i').test('xaby')).toBe(false);
  });

  it('escapes every regular-expression metacharacter', () => {
    const text = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o/p-q';
    expect(new RegExp(escapeRegExp(text), 'i').test(`xx${text.toUpperCase()}yy`)).toBe(true);
    expect(new RegExp(escapeRegExp('.'), 'i').test('x')).toBe(false);
  });
});
