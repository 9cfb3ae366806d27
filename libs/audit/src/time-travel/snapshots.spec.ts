import { decodeFold, encodeFold } from './snapshots';

describe('a stored fold', () => {
  it('reads back exactly what was stored, plain ASCII or not', () => {
    for (const name of ['Local activation network', 'Huis van het Kind — “Kempen” één']) {
      const fold = {
        state: { profile: { name }, revision: 3, scores: [1, 2.5, null] },
        businessTime: null,
      };
      const stored = encodeFold(fold);
      expect(stored).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(decodeFold(stored)).toEqual(fold);
    }
  });

  it('refuses content that is not a stored fold', () => {
    expect(() => decodeFold(Buffer.from('{"state":{}}').toString('base64'))).toThrow();
  });
});
