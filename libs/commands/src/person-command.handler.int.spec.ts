import type { AppConfig } from '@ppl/config';
import type { EventStore } from '@ppl/event-store';
import { PersonalData, type SqlitePersonalKeyStore } from '@ppl/privacy';
import { HOME_STRATEGY_ID, parseCommand } from '@ppl/domain';
import { PartnershipCommandHandler, PersonCommandHandler, StrategyCommandHandler } from './aggregate-handlers';
import { PartnershipCommandMessage, PersonCommandMessage, StrategyCommandMessage, type CommandMeta } from './command-envelope';
import { silentObserver } from './command-observer';
import { openCommandStores, type CommandStores } from './testing/command-stores';
import { propose as proposePartnership } from '../../domain/src/testing/fixtures';

/**
 * The command side seals personal fields before appending, and ForgetPerson destroys the key
 * before it records PersonForgotten: a crash in between leaves the person forgotten, and the
 * retry (same command id) records the event once.
 */
describe('sealing and forgetting on the command side (real SQLite stores)', () => {
  let stores: CommandStores;
  let store: EventStore;
  let keys: SqlitePersonalKeyStore;
  let personal: PersonalData;
  const config = { COMMAND_CONFLICT_RETRIES: 3, AGGREGATE_CACHE_SIZE: 5000 } as AppConfig;
  const meta = (commandId: string): CommandMeta => ({
    commandId,
    actor: { id: 'admin', role: 'ADMIN' },
    correlationId: commandId,
    businessTime: '2025-03-01T09:00:00.000Z',
  });

  beforeEach(() => {
    stores = openCommandStores('ppl-forget-');
    ({ store, keys, personal } = stores);
  });
  afterEach(() => stores.dispose());

  async function propose(): Promise<string> {
    const strategy = parseCommand('DefineStrategy', {
      strategyId: HOME_STRATEGY_ID,
      themes: [{ themeId: 'work', name: 'Work', criteria: [] }],
      nonNegotiableValues: [],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
    });
    await new StrategyCommandHandler(store, silentObserver, config, personal).execute(new StrategyCommandMessage(strategy, meta('strategy')));
    const handler = new PartnershipCommandHandler(store, silentObserver, config, personal);
    const outcome = await handler.execute(
      new PartnershipCommandMessage(
        proposePartnership({ partnershipId: 'p1', leadParty: { organisationId: 'home', delegate: { personId: 'anna', name: 'Anna Peeters' } } }),
        meta('propose'),
      ),
    );
    const stored = JSON.stringify((await store.readStream('partnership-p1'))[0]?.data);
    expect(stored).not.toContain('Anna Peeters');
    return (outcome.events[0]?.data as { leadParty: { delegate: { name: string } } }).leadParty.delegate.name;
  }

  it('stores the delegate’s name sealed; forgetting destroys the key before recording PersonForgotten, and a retry after a crash records it once', async () => {
    const sealedName = await propose();
    expect(await personal.reveal(sealedName, 'name')).toBe('Anna Peeters');

    // The store fails the first append: as if the process died right after destroying the key.
    let failures = 1;
    const crashing: EventStore = Object.create(store, {
      append: {
        value: (...args: Parameters<EventStore['append']>) => {
          if (failures-- > 0) return Promise.reject(new Error('crash before append'));
          return store.append(...args);
        },
      },
    }) as EventStore;
    const forget = new PersonCommandHandler(crashing, silentObserver, config, personal);
    const message = new PersonCommandMessage({ type: 'ForgetPerson', personId: 'anna', reason: 'erasure request' }, meta('forget-anna'));
    await expect(forget.execute(message)).rejects.toThrow('crash before append');
    expect(await store.readStream('person-anna')).toHaveLength(0);
    // Already forgotten, though the event is not recorded yet (a fresh PersonalData: another process).
    expect(await new PersonalData(keys).reveal(sealedName, 'name')).toBe('[redacted]');
    expect(await personal.reveal(sealedName, 'name')).toBe('[redacted]');

    const retried = await forget.execute(message);
    expect(retried.events.map((e) => e.type)).toEqual(['PersonForgotten']);
    const again = await forget.execute(message);
    expect(again.duplicate).toBe(true);
    expect(await store.readStream('person-anna')).toHaveLength(1);
  });

  it('forgetting a person who has no key still records PersonForgotten', async () => {
    const forget = new PersonCommandHandler(store, silentObserver, config, personal);
    const outcome = await forget.execute(new PersonCommandMessage({ type: 'ForgetPerson', personId: 'nobody', reason: 'request' }, meta('forget-nobody')));
    expect(outcome.events.map((e) => e.type)).toEqual(['PersonForgotten']);
    expect(outcome.streamId).toBe('person-nobody');
  });
});
