import type { AppConfig } from '@ppl/config';
import type { EventStore } from '@ppl/event-store';
import type { PersonalData } from '@ppl/privacy';
import { HOME_STRATEGY_ID, type PartnershipCommand, type PartnershipEvent, type PartnershipState, deciders, parseCommand } from '@ppl/domain';
import { FoldedStreams } from './aggregate-command.handler';
import { PartnershipCommandHandler, StrategyCommandHandler } from './aggregate-handlers';
import { type CommandMeta, PartnershipCommandMessage, StrategyCommandMessage } from './command-envelope';
import { silentObserver } from './command-observer';
import { openCommandStores, type CommandStores } from './testing/command-stores';
import { P, declare, propose, readyToExecute } from '../../domain/src/testing/fixtures';

/**
 * AGGREGATE_CACHE_SIZE bounds how many streams of each aggregate type a handler keeps folded;
 * a stream it no longer keeps is read from the store again. What it keeps after a command is the
 * fold of the stream as stored.
 */
describe('folds a command handler keeps (real SQLite store)', () => {
  let stores: CommandStores;
  let store: EventStore;
  let personal: PersonalData;
  let sequence = 0;
  const meta = (): CommandMeta => ({
    commandId: `command-${++sequence}`,
    actor: { id: 'anna', role: 'MANAGER' },
    correlationId: `correlation-${sequence}`,
    businessTime: '2025-03-01T09:00:00.000Z',
  });
  const handlerKeeping = async (size: number): Promise<PartnershipCommandHandler> => {
    const config = { COMMAND_CONFLICT_RETRIES: 3, AGGREGATE_CACHE_SIZE: size } as AppConfig;
    const strategy = parseCommand('DefineStrategy', {
      strategyId: HOME_STRATEGY_ID,
      themes: [{ themeId: 'work', name: 'Work', criteria: [] }],
      nonNegotiableValues: [],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
    });
    await new StrategyCommandHandler(store, silentObserver, config, personal).execute(new StrategyCommandMessage(strategy, meta()));
    return new PartnershipCommandHandler(store, silentObserver, config, personal);
  };
  const run = (handler: PartnershipCommandHandler, command: PartnershipCommand) => handler.execute(new PartnershipCommandMessage(command, meta()));
  /** Stream ids read from the store (whole or a tail) while `work` runs. */
  const readsDuring = async (work: () => Promise<unknown>): Promise<string[]> => {
    const read = jest.spyOn(store, 'readStream');
    try {
      await work();
      return read.mock.calls.map(([streamId]) => streamId).filter((id) => id.startsWith('partnership-'));
    } finally {
      read.mockRestore();
    }
  };

  beforeEach(() => {
    stores = openCommandStores('ppl-kept-');
    ({ store, personal } = stores);
  });

  afterEach(() => stores.dispose());

  it('keeps at most AGGREGATE_CACHE_SIZE streams folded: the least recently used one is read from the store again', async () => {
    const handler = await handlerKeeping(2);
    for (const id of ['p1', 'p2', 'p3']) await run(handler, propose({ partnershipId: id }));
    expect(['p1', 'p2', 'p3'].map((id) => handler.keptFold(`partnership-${id}`) !== undefined)).toEqual([false, true, true]);

    expect(await readsDuring(() => run(handler, { ...declare('i-3', 'org-municipality', 'ORGANISATIONAL'), partnershipId: 'p3' }))).toEqual([]);
    expect(await readsDuring(() => run(handler, { ...declare('i-1', 'org-municipality', 'ORGANISATIONAL'), partnershipId: 'p1' }))).toEqual(['partnership-p1']);
    // p1 is kept again, and p2 (now the least recently used) is not.
    expect(['p1', 'p2', 'p3'].map((id) => handler.keptFold(`partnership-${id}`) !== undefined)).toEqual([true, false, true]);
  });

  it('AGGREGATE_CACHE_SIZE=0 keeps no fold: every command reads its stream and is decided on it', async () => {
    const handler = await handlerKeeping(0);
    await run(handler, propose({ partnershipId: 'p1' }));
    expect(handler.keptFold('partnership-p1')).toBeUndefined();
    const reads = await readsDuring(async () => {
      const first = await run(handler, { ...declare('i-1', 'org-municipality', 'ORGANISATIONAL'), partnershipId: 'p1' });
      const second = await run(handler, { ...declare('i-2', 'org-municipality', 'ORGANISATIONAL'), partnershipId: 'p1' });
      expect([first.revision, second.revision]).toEqual([1, 2]);
      await expect(run(handler, { ...declare('i-2', 'org-municipality', 'ORGANISATIONAL'), partnershipId: 'p1' })).rejects.toThrow();
    });
    expect(reads).toEqual(['partnership-p1', 'partnership-p1', 'partnership-p1']);
    expect(handler.keptFold('partnership-p1')).toBeUndefined();
  });

  it('the fold kept after each command is the fold of the stream as stored (personal fields sealed, as stored)', async () => {
    const handler = await handlerKeeping(10);
    const stored = new FoldedStreams<PartnershipEvent, PartnershipState>(store, deciders.partnership.initialState, (s, e) => deciders.partnership.evolve(s, e), 0);
    const commands: PartnershipCommand[] = [...readyToExecute, declare('i-own', 'org-municipality', 'INDIVIDUAL')];
    for (const command of commands) {
      await run(handler, command);
      const kept = handler.keptFold(`partnership-${P}`);
      const read = await stored.load(`partnership-${P}`);
      expect(kept).toBeDefined();
      expect({ revision: kept?.revision, position: kept?.position, state: kept?.state, commands: kept?.commands }).toEqual({
        revision: read.revision,
        position: read.position,
        state: read.state,
        commands: read.commands,
      });
    }
    expect(handler.keptFold(`partnership-${P}`)?.revision).toBe(commands.length - 1);
  });
});
