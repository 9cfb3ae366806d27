import { REDACTED, SEALED_PREFIX } from '@ppl/domain';
import type { PersonalKeyStore, StoredPersonalKey } from './personal-key-store.port';
import { PersonalData } from './personal-data';
import { newPersonalKey } from './sealed-value';

/** An in-memory key store for the unit tier (the adapters have their own contract suite). */
class MemoryKeys implements PersonalKeyStore {
  readonly keys = new Map<string, StoredPersonalKey>();
  created = 0;
  async keyFor(personId: string) {
    let key = this.keys.get(personId);
    if (!key) {
      key = { personId, ...newPersonalKey() };
      this.keys.set(personId, key);
      this.created++;
    }
    return key;
  }
  async byKeyId(keyId: string) {
    return [...this.keys.values()].find((k) => k.keyId === keyId) ?? null;
  }
  async destroy(personId: string) {
    return this.keys.delete(personId);
  }
  async close() {}
}

const anna = { personId: 'anna', name: 'Anna Peeters' };
const bert = { personId: 'bert', name: 'Bert Jansen' };
type Ev = { type: string; data: unknown };
const noEvolve = <S>(s: S): S => s;

describe('PersonalData', () => {
  it('seals exactly the personal fields, each with its person’s key, and opens them again', async () => {
    const keys = new MemoryKeys();
    const personal = new PersonalData(keys);
    const events: Ev[] = [
      { type: 'DelegateReplaced', data: { organisationId: 'o', previous: anna, delegate: bert, rationale: 'Anna moved on' } },
      { type: 'PhaseAdvanced', data: { from: 'EXPLORE', to: 'SHARE' } },
    ];
    const [sealed, untouched] = await personal.sealEvents(events, {}, noEvolve);
    const data = sealed?.data as { previous: { name: string }; delegate: { name: string }; rationale: string };
    expect(data.previous.name.startsWith(SEALED_PREFIX)).toBe(true);
    expect(data.delegate.name.startsWith(SEALED_PREFIX)).toBe(true);
    expect(data.rationale).toBe('Anna moved on');
    expect(JSON.stringify(sealed)).not.toContain('Bert');
    expect(untouched).toBe(events[1]);
    expect(await personal.revealDeep(sealed?.data)).toEqual(events[0]?.data);
  });

  it('leaves values already sealed as they are (a replaced delegate’s name copied from the state)', async () => {
    const personal = new PersonalData(new MemoryKeys());
    const [first] = await personal.sealEvents([{ type: 'PartyAdmitted', data: { delegate: anna } }], {}, noEvolve);
    const sealedName = (first?.data as { delegate: { name: string } }).delegate.name;
    const [second] = await personal.sealEvents([{ type: 'DelegateReplaced', data: { previous: { personId: 'anna', name: sealedName }, delegate: bert } }], {}, noEvolve);
    expect((second?.data as { previous: { name: string } }).previous.name).toBe(sealedName);
    expect(await personal.revealDeep(second?.data)).toEqual({ previous: anna, delegate: bert });
  });

  it('seals a revision of an INDIVIDUAL interest declared earlier in the same command', async () => {
    const personal = new PersonalData(new MemoryKeys());
    const declared = { type: 'InterestDeclared', data: { interestId: 'i', kind: 'INDIVIDUAL', description: 'conviction', declaredByDelegate: 'anna' } };
    const revised = { type: 'InterestRevised', data: { interestId: 'i', description: 'new conviction' } };
    const evolve = (s: { interests: unknown[] }, e: Ev) =>
      e.type === 'InterestDeclared' ? { interests: [...s.interests, { interestId: 'i', kind: 'INDIVIDUAL', declaredByDelegate: 'anna' }] } : s;
    const out = await personal.sealEvents([declared, revised], { interests: [] }, evolve);
    expect(JSON.stringify(out)).not.toContain('conviction');
  });

  it('after forget, the person’s values read as [redacted], others still open, and a new key is used later', async () => {
    const keys = new MemoryKeys();
    const personal = new PersonalData(keys);
    const [a, b] = await personal.sealEvents(
      [
        { type: 'PartyAdmitted', data: { delegate: anna } },
        { type: 'PartyAdmitted', data: { delegate: bert } },
      ],
      {},
      noEvolve,
    );
    expect(await personal.revealDeep(a?.data)).toEqual({ delegate: anna }); // cached now
    expect(await personal.forget('anna')).toBe(true);
    expect(await personal.revealDeep(a?.data)).toEqual({ delegate: { personId: 'anna', name: REDACTED } });
    expect(await personal.revealDeep(b?.data)).toEqual({ delegate: bert });
    const [later] = await personal.sealEvents([{ type: 'PartyAdmitted', data: { delegate: anna } }], {}, noEvolve);
    expect(await personal.revealDeep(later?.data)).toEqual({ delegate: anna });
    expect(await personal.revealDeep(a?.data)).toEqual({ delegate: { personId: 'anna', name: REDACTED } });
    expect(await personal.forget('nobody')).toBe(false);
  });

  it('asks the store once per person while the key is cached', async () => {
    const keys = new MemoryKeys();
    const spy = jest.spyOn(keys, 'keyFor');
    const personal = new PersonalData(keys);
    for (let i = 0; i < 5; i++) await personal.sealEvents([{ type: 'PartyAdmitted', data: { delegate: anna } }], {}, noEvolve);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
