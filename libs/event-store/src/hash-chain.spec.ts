import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson, eventHash, eventHashInput } from './hash-chain';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('keeps what JSON.stringify keeps', () => {
    expect(canonicalJson({ u: undefined, f: () => 1, d: new Date(0), n: Number.NaN, a: [undefined] })).toBe(
      '{"a":[null],"d":"1970-01-01T00:00:00.000Z","n":null}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('is the same before storing and after a JSON round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('eventHash', () => {
  const event = {
    id: '6BA7B810-9DAD-11D1-80B4-00C04FD430C8',
    streamId: 'partnership-1',
    revision: 0,
    position: 1,
    type: 'InterestDeclared',
    schemaVersion: 1,
    data: { b: 1, a: 2 },
    metadata: { actor: { id: 'u' } },
    recordedAt: '2026-01-01T00:00:00.000Z',
  };

  it('hashes the canonical JSON of the envelope and both links', () => {
    expect(eventHashInput(event, 'p', 'g')).toBe(
      canonicalJson({ ...event, id: event.id.toLowerCase(), prevStreamHash: 'p', prevGlobalHash: 'g' }),
    );
    expect(eventHash(event, 'p', 'g')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any field and with either link', () => {
    const base = eventHash(event, 'p', 'g');
    expect(eventHash({ ...event, data: { a: 2, b: 1 } }, 'p', 'g')).toBe(base);
    expect(eventHash({ ...event, data: { a: 3, b: 1 } }, 'p', 'g')).not.toBe(base);
    expect(eventHash({ ...event, position: 2 }, 'p', 'g')).not.toBe(base);
    expect(eventHash(event, 'q', 'g')).not.toBe(base);
    expect(eventHash(event, 'p', 'h')).not.toBe(base);
  });
});
