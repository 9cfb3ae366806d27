import { LRUCache } from 'lru-cache';
import { REDACTED, isSealed, mapPersonalFields, personalFieldsOf, type PersonalFieldsState } from '@ppl/domain';
import type { PersonalKeyStore, StoredPersonalKey } from './personal-key-store.port';
import { keyIdOf, open, seal, type PersonalKey } from './sealed-value';

interface EventShape {
  readonly type: string;
  readonly data: unknown;
}

export interface PersonalDataOptions {
  /**
   * How long a key read from the store is kept in memory. Another process that forgets a person
   * evicts only its own cache: this bounds how long this one still reads (or seals with) the key.
   */
  readonly cacheTtlMs?: number;
}

/**
 * Seals personal fields on the command side and opens them at the edges (GraphQL, export).
 * A value whose key was destroyed opens as `[redacted]`. Keys are cached per process for a
 * short while; forgetting a person evicts them here at once.
 */
export class PersonalData {
  private readonly byPerson: LRUCache<string, StoredPersonalKey>;
  private readonly byKeyId: LRUCache<string, { key: StoredPersonalKey | null }>;
  private forgets = 0;

  constructor(
    private readonly keys: PersonalKeyStore,
    options: PersonalDataOptions = {},
  ) {
    const ttl = options.cacheTtlMs ?? 30_000;
    this.byPerson = new LRUCache({ max: 10_000, ttl });
    this.byKeyId = new LRUCache({ max: 10_000, ttl });
  }

  /**
   * The events with their personal fields sealed. `stateBefore` is the folded state before the
   * first event; `evolve` folds each event into it for the next one (a revision looks up the
   * interest it revises). Values already sealed (copied from the state, e.g. a replaced
   * delegate's name) stay as they are.
   */
  async sealEvents<E extends EventShape, S>(events: readonly E[], stateBefore: S, evolve: (state: S, event: E) => S): Promise<E[]> {
    let state = stateBefore;
    const out: E[] = [];
    for (const [i, event] of events.entries()) {
      const fields = personalFieldsOf(event.type, event.data, state as PersonalFieldsState).filter((f) => f.personId !== null);
      if (fields.length === 0) {
        out.push(event);
      } else {
        const keys = new Map<string, PersonalKey>();
        for (const field of fields) {
          const personId = field.personId as string;
          if (!keys.has(personId)) keys.set(personId, await this.keyFor(personId));
        }
        const data = mapPersonalFields(event.data, fields, (value, field) =>
          isSealed(value) ? value : seal(keys.get(field.personId as string) as PersonalKey, fieldNameOf(field.path), value),
        );
        out.push({ ...event, data });
      }
      if (i < events.length - 1) state = evolve(state, event);
    }
    return out;
  }

  /** A sealed value opened, `[redacted]` when its key is gone; any other value as it is. */
  async reveal(value: string, field: string): Promise<string> {
    const keyId = keyIdOf(value);
    if (keyId === null) return value;
    const key = await this.keyById(keyId);
    return key ? open(key, field, value) : REDACTED;
  }

  /** A JSON value (event data, a view) with every sealed string in it opened; unchanged when none. */
  async revealDeep(value: unknown, field = ''): Promise<unknown> {
    if (typeof value === 'string') return isSealed(value) ? this.reveal(value, field) : value;
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      for (const [i, item] of value.entries()) {
        const opened = await this.revealDeep(item, field);
        if (opened !== item) (copy ??= [...value])[i] = opened;
      }
      return copy ?? value;
    }
    if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
      let copy: Record<string, unknown> | null = null;
      for (const [key, item] of Object.entries(value)) {
        const opened = await this.revealDeep(item, key);
        if (opened !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = opened;
      }
      return copy ?? value;
    }
    return value;
  }

  /** Destroys the person's key (durably, before returning) and evicts it from this process. */
  async forget(personId: string): Promise<boolean> {
    const destroyed = await this.keys.destroy(personId);
    this.forgets++;
    this.byPerson.delete(personId);
    for (const [keyId, entry] of this.byKeyId.entries()) {
      if (entry.key?.personId === personId) this.byKeyId.delete(keyId);
    }
    return destroyed;
  }

  /**
   * How many people this process has forgotten: whatever keeps answers opened with keys (a
   * response cache) keys them by it, so none opened before a forget is served after it.
   */
  get forgotten(): number {
    return this.forgets;
  }

  private async keyFor(personId: string): Promise<StoredPersonalKey> {
    const cached = this.byPerson.get(personId);
    if (cached) return cached;
    const key = await this.keys.keyFor(personId);
    this.byPerson.set(personId, key);
    return key;
  }

  private async keyById(keyId: string): Promise<StoredPersonalKey | null> {
    const cached = this.byKeyId.get(keyId);
    if (cached) return cached.key;
    const key = await this.keys.byKeyId(keyId);
    this.byKeyId.set(keyId, { key });
    return key;
  }
}

/** A personal field's name: the last segment of its path (`['leadParty','delegate','name']` → `name`). */
export const fieldNameOf = (path: readonly string[]): string => path[path.length - 1] ?? '';

/** The process's PersonalData (Nest token). */
export const PERSONAL_DATA = Symbol.for('ppl.PersonalData');
