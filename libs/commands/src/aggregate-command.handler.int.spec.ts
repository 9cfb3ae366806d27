import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@ppl/config';
import { ConcurrencyConflictError, type EventStore, SqliteEventStore } from '@ppl/event-store';
import { PersonalData, SqlitePersonalKeyStore } from '@ppl/privacy';
import { DomainError, HOME_STRATEGY_ID, type PartnershipCommand, parseCommand } from '@ppl/domain';
import { PartnershipCommandHandler, StrategyCommandHandler } from './aggregate-handlers';
import { type CommandMeta, PartnershipCommandMessage, StrategyCommandMessage } from './command-envelope';
import { silentObserver } from './command-observer';
import { propose } from '../../domain/src/testing/fixtures';

/**
 * A command handler keeps the streams it served folded and decides the next command on that
 * fold without reading the store first. These tests put a second writer on the same store file
 * (another process: its own connection and its own handler) between two commands of the first,
 * so the first handler's fold is stale, and check that no decision is taken on it.
 */
describe('command handler deciding on the fold it kept (real SQLite store, two writers)', () => {
  let dir: string;
  let mine: EventStore;
  let theirs: EventStore;
  let keys: SqlitePersonalKeyStore;
  let personal: PersonalData;
  let handler: PartnershipCommandHandler;
  let other: PartnershipCommandHandler;
  const config = { COMMAND_CONFLICT_RETRIES: 3, AGGREGATE_CACHE_SIZE: 5000 } as AppConfig;
  let sequence = 0;
  const meta = (commandId: string, extra: Partial<CommandMeta> = {}): CommandMeta => ({
    commandId,
    actor: { id: 'anna', role: 'MANAGER' },
    correlationId: `correlation-${++sequence}`,
    businessTime: '2025-03-01T09:00:00.000Z',
    ...extra,
  });
  const run = (on: PartnershipCommandHandler, command: Record<string, unknown>, m: CommandMeta) =>
    on.execute(new PartnershipCommandMessage({ partnershipId: 'p1', ...command } as PartnershipCommand, m));
  const declare = (interestId: string) => ({ type: 'DeclareInterest', interestId, organisationId: 'home', kind: 'ORGANISATIONAL', description: `interest ${interestId}` });
  const declared = async (): Promise<string[]> =>
    (await theirs.readStream('partnership-p1'))
      .filter((e) => e.type === 'InterestDeclared')
      .map((e) => (e.data as { interestId: string }).interestId);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ppl-folds-'));
    mine = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
    theirs = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
    keys = new SqlitePersonalKeyStore(join(dir, 'privacy', 'keys.sqlite'));
    personal = new PersonalData(keys);
    const strategy = parseCommand('DefineStrategy', {
      strategyId: HOME_STRATEGY_ID,
      themes: [{ themeId: 'work', name: 'Work', criteria: [] }],
      nonNegotiableValues: [],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
    });
    await new StrategyCommandHandler(mine, silentObserver, config, personal).execute(new StrategyCommandMessage(strategy, meta('strategy')));
    handler = new PartnershipCommandHandler(mine, silentObserver, config, personal);
    other = new PartnershipCommandHandler(theirs, silentObserver, config, personal);
    await run(handler, propose({ partnershipId: 'p1', leadParty: { organisationId: 'home', delegate: { personId: 'anna', name: 'Anna' } } }), meta('propose'));
    // Both handlers now keep the stream folded at its current revision.
    await run(handler, declare('first'), meta('declare-first'));
    await run(other, declare('second'), meta('declare-second'));
    await run(handler, declare('third'), meta('declare-third'));
  });

  afterEach(async () => {
    await mine.close();
    await theirs.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the stream as the other writer left it decides: an interest id it declared meanwhile is refused, once recorded', async () => {
    await run(other, declare('third-b'), meta('declare-third-b-there'));
    // On its stale fold the handler would see no 'third-b' and record it a second time.
    await expect(run(handler, declare('third-b'), meta('declare-third-b-here'))).rejects.toThrow(DomainError);
    expect(await declared()).toEqual(['first', 'second', 'third', 'third-b']);
  });

  it('a refusal on a stale fold is decided again on the stream: revising an interest the other writer declared succeeds', async () => {
    await run(other, declare('theirs'), meta('declare-theirs'));
    const outcome = await run(handler, { type: 'ReviseInterest', interestId: 'theirs', description: 'sharper' }, meta('revise-theirs'));
    expect(outcome.events.map((e) => e.type)).toEqual(['InterestRevised']);
    expect(outcome.revision).toBe((await theirs.readStream('partnership-p1')).length - 1);
  });

  it('a command after the other writer appends on top of its events, at the next revision', async () => {
    const before = await run(other, declare('fourth'), meta('declare-fourth'));
    const outcome = await run(handler, declare('fifth'), meta('declare-fifth'));
    expect(outcome.revision).toBe(before.revision + 1);
    expect(outcome.duplicate).toBe(false);
    expect(await declared()).toEqual(['first', 'second', 'third', 'fourth', 'fifth']);
  });

  it('a caller’s expected revision is checked against the stream as stored, not the kept fold', async () => {
    const kept = (await mine.readStream('partnership-p1')).length - 1;
    const theirsOutcome = await run(other, declare('fourth'), meta('declare-fourth'));
    const refused = run(handler, declare('fifth'), meta('declare-fifth', { expectedRevision: kept }));
    await expect(refused).rejects.toBeInstanceOf(ConcurrencyConflictError);
    await expect(refused).rejects.toMatchObject({ expected: kept, actual: theirsOutcome.revision });
    expect(await declared()).toEqual(['first', 'second', 'third', 'fourth']);

    const accepted = await run(handler, declare('fifth'), meta('declare-fifth', { expectedRevision: theirsOutcome.revision }));
    expect(accepted.revision).toBe(theirsOutcome.revision + 1);
  });

  it('a retried command id returns the first result and records nothing, on the writer that recorded it and on one whose fold predates it', async () => {
    await run(other, declare('fourth'), meta('declare-fourth'));
    const first = await run(handler, declare('once'), meta('declare-once'));
    const again = await run(handler, declare('once'), meta('declare-once'));
    // The other writer's fold stops right before 'declare-once': it decides on it, and the store
    // answers with the events it holds already at those revisions.
    const elsewhere = await run(other, declare('once'), meta('declare-once'));
    for (const retry of [again, elsewhere]) {
      expect(retry).toMatchObject({ duplicate: true, revision: first.revision, position: first.position });
      expect(retry.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    }
    expect(await declared()).toEqual(['first', 'second', 'third', 'fourth', 'once']);
  });

  it('a command id already used on another stream is refused by name (VALIDATION_FAILED on commandId), and nothing is recorded', async () => {
    await run(handler, propose({ partnershipId: 'p2', leadParty: { organisationId: 'home', delegate: { personId: 'anna', name: 'Anna' } } }), meta('propose-p2'));
    const refused = await run(handler, declare('reused'), meta('propose-p2')).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'commandId', message: expect.stringContaining('partnership-p2') }] });
    expect(await declared()).toEqual(['first', 'second', 'third']);
  });

  it('a retry sent with the very same correlation id and business time is still reported as a duplicate by a writer whose fold predates it', async () => {
    const same = meta('declare-same');
    const first = await run(handler, declare('same'), same);
    const elsewhere = await run(other, declare('same'), same);
    expect(elsewhere).toMatchObject({ duplicate: true, revision: first.revision, position: first.position });
    expect(await declared()).toEqual(['first', 'second', 'third', 'same']);
  });

  it('a retried command id whose first attempt was followed by other writes returns the first result', async () => {
    const first = await run(handler, declare('once'), meta('declare-once'));
    await run(handler, declare('later'), meta('declare-later'));
    const elsewhere = await run(other, declare('once'), meta('declare-once'));
    expect(elsewhere).toMatchObject({ duplicate: true, revision: first.revision, position: first.position });
    expect(await declared()).toEqual(['first', 'second', 'third', 'once', 'later']);
  });
});
