import { v5 as uuidv5 } from 'uuid';
import { jsonWithoutNulls } from './command-gateway';
import { eventIdFor, ledgerUuid, mintedIdFor } from './event-ids';

describe('the input a command is parsed from', () => {
  it('is a copy of the input as JSON carries it, without the properties that are null', () => {
    const nested = Object.assign(Object.create(null) as object, { b: null, c: [1, null, undefined, { d: null, e: 'x' }] });
    const input = { a: 1, nested, when: new Date('2025-01-02T03:04:05Z'), gone: undefined, fn: () => 1, nan: NaN, text: 'é' };
    const copy = jsonWithoutNulls(input);
    expect(copy).toStrictEqual({ a: 1, nested: { c: [1, null, null, { e: 'x' }] }, when: '2025-01-02T03:04:05.000Z', nan: null, text: 'é' });
    expect(copy).toStrictEqual(JSON.parse(JSON.stringify(input, (_k, v: unknown) => (v === null ? undefined : v))));
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "a": null}') as object;
    const hostileCopy = jsonWithoutNulls(hostile) as object;
    expect(Object.getPrototypeOf(hostileCopy)).toBe(Object.prototype);
    expect(Object.keys(hostileCopy)).toEqual(['__proto__']);
    expect((hostileCopy as { polluted?: boolean }).polluted).toBeUndefined();
    (copy as { nested: { c: unknown[] } }).nested.c.push(2);
    expect((nested as { c: unknown[] }).c).toHaveLength(4);
  });
});

describe('ids derived from a command id', () => {
  it('are the RFC 9562 version-5 UUIDs of the ledger namespace, as before (the uuid package makes the same)', () => {
    const namespace = '6f1c1f0e-6a52-4d44-9a0e-3f7f0c6b2a11';
    for (const name of ['admit-caw-2026-11-23#event-0', 'x#id-goals.1.goalId', 'ünïcode ✓', '']) {
      expect(ledgerUuid(name)).toBe(uuidv5(name, namespace));
    }
    expect(eventIdFor('cmd-1', 2)).toBe(uuidv5('cmd-1#event-2', namespace));
    expect(mintedIdFor('cmd-1', 'partnershipId')).toBe(uuidv5('cmd-1#id-partnershipId', namespace));
  });
});
