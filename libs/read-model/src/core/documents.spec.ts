import { InvalidChangeError } from '../errors';
import { normalizedWithJson, normalizeDocument } from './documents';
import { SchemaRegistry } from './schema-registry';

const registry = new SchemaRegistry();
registry.register({ name: 'p', version: 1, collections: [{ name: 'rows', indexes: { n: 'number' } }] });
const rows = registry.collection('rows');

describe('normalizeDocument', () => {
  it('gives the JSON round trip of a document, and its JSON text', () => {
    const at = new Date('2024-01-02T03:04:05.000Z');
    const doc = { n: -0, at, gone: undefined, list: [1, undefined, 'x'], nested: { keep: true, drop: undefined } };
    const normalized = normalizeDocument(rows, 'a', doc);
    expect(normalized).toEqual({ n: 0, at: '2024-01-02T03:04:05.000Z', list: [1, null, 'x'], nested: { keep: true } });
    expect(Object.is(normalized.n, 0)).toBe(true);
    expect(normalizedWithJson(rows, 'a', doc).json).toBe(JSON.stringify(normalized));
    expect(doc.at).toBe(at); // the given document is left as it was
  });

  it('keeps a plain JSON document as it is, with its text', () => {
    const doc = { n: 1.5, name: 'x', tags: ['a'], nested: { ok: false, none: null } };
    const normalized = normalizeDocument(rows, 'a', doc);
    expect(normalized).toEqual(doc);
    expect(normalizedWithJson(rows, 'a', doc).doc).toBe(doc);
    expect(JSON.parse(normalizedWithJson(rows, 'a', doc).json)).toEqual(doc);
  });

  it('refuses a declared dot path that leads through an array (MongoDB would read into the array, the embedded store would not)', () => {
    const nested = new SchemaRegistry();
    nested.register({ name: 'q', version: 1, collections: [{ name: 'deep', indexes: { 'metrics.spread': 'number' } }] });
    const deep = nested.collection('deep');
    expect(() => normalizeDocument(deep, 'a', { metrics: [{ spread: 5 }] })).toThrow(/metrics\.spread.*array/);
    expect(normalizeDocument(deep, 'a', { metrics: { spread: 5 } })).toEqual({ metrics: { spread: 5 } });
    expect(normalizeDocument(deep, 'a', { metrics: null })).toEqual({ metrics: null });
    expect(normalizeDocument(deep, 'a', {})).toEqual({});
  });

  it('refuses keys MongoDB cannot store and declared fields of another type, wherever they are', () => {
    expect(() => normalizeDocument(rows, 'a', { nested: [{ $bad: 1 }] })).toThrow(InvalidChangeError);
    expect(() => normalizeDocument(rows, 'a', { 'a.b': 1 })).toThrow(InvalidChangeError);
    expect(() => normalizeDocument(rows, 'a', { at: new Date(0), 'a.b': 1 })).toThrow(InvalidChangeError);
    expect(() => normalizeDocument(rows, 'a', { n: 'one' })).toThrow(InvalidChangeError);
    // A key whose value JSON drops is not stored, so not refused.
    expect(normalizeDocument(rows, 'a', { $gone: undefined, n: 2 })).toEqual({ n: 2 });
  });
});
