import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { aggregateOf, deciders, streamIdOf, type DomainCommand, type StrategyState } from '../../libs/domain/src';
import { SqliteEventStore } from '../../libs/event-store/src';
import { newEvent } from '../../libs/projections/src/testing/ledger-history';
import { admit, defineStrategy, HOME, OCMW, propose, registerOrganisations, scores, T0, VDAB, day } from '../../libs/projections/src/testing/scenario';

type AnyDecider = {
  initialState: unknown;
  evolve(state: unknown, event: unknown): unknown;
  decide(command: DomainCommand, state: unknown, context: unknown): { type: string; data: unknown }[];
};

export interface HistoryParameters {
  /** At least this many events (the last round of commands may overshoot by a few). */
  readonly events: number;
  readonly partnerships: number;
}

/** Bumped whenever the generated history changes, so a cached store of an older shape is not reused. */
const GENERATOR_VERSION = 2;

/**
 * The event store of a generated ledger history, cached under `.tmp/bench/` by its parameters:
 * the first run generates it (with a progress line), later runs reuse it. Generated into a
 * temporary file and renamed when complete, so an interrupted run never leaves a partial cache.
 */
export async function cachedHistory(parameters: HistoryParameters, cacheRoot = resolve('.tmp/bench')): Promise<string> {
  const dir = join(cacheRoot, `ledger-v${GENERATOR_VERSION}-${parameters.events}e-${parameters.partnerships}p`);
  const path = join(dir, 'events.sqlite');
  if (existsSync(path)) {
    console.log(`reusing the generated history in ${dir}`);
    return path;
  }
  mkdirSync(dir, { recursive: true });
  const partial = join(dir, 'events.partial.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  const started = performance.now();
  let shown = -Infinity;
  const written = await generateHistory(partial, parameters, (done) => {
    const seconds = (performance.now() - started) / 1000;
    if (seconds - shown < 1 && done < parameters.events) return;
    shown = seconds;
    process.stdout.write(
      `\rgenerating ${done.toLocaleString('en-US')} / ${parameters.events.toLocaleString('en-US')} events (${Math.round(done / Math.max(seconds, 0.001)).toLocaleString('en-US')}/s)   `,
    );
  });
  process.stdout.write('\n');
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  renameSync(partial, path);
  console.log(
    `generated ${written.toLocaleString('en-US')} events over ${parameters.partnerships.toLocaleString('en-US')} partnerships in ${((performance.now() - started) / 1000).toFixed(1)} s (cached in ${dir})`,
  );
  return path;
}

/**
 * A history decided by the domain's own deciders, appended through the event store: the
 * strategy, three organisations, per partnership a proposal and two admissions, then rounds in
 * which every partnership gets one command of a cycle of assessments, interests, pledges and
 * approval requests with their acknowledgements (so states grow as real ones do). The appends of
 * a round are issued together, so the store commits them in large transactions.
 */
export async function generateHistory(
  path: string,
  parameters: HistoryParameters,
  onProgress: (written: number) => void = () => undefined,
): Promise<number> {
  const store = new SqliteEventStore({ path, durability: 'normal' });
  const states = new Map<string, unknown>();
  let written = 0;
  const decide = (command: DomainCommand, at: string): Promise<unknown> | undefined => {
    const streamId = streamIdOf(command);
    const decider = deciders[aggregateOf(command)] as unknown as AnyDecider;
    let state = states.get(streamId) ?? decider.initialState;
    const strategy = states.get('strategy-home') as StrategyState | undefined;
    const events = decider.decide(command, state, { actor: { id: 'bench' }, businessTime: at, ...(strategy ? { strategy } : {}) });
    if (events.length === 0) return undefined;
    for (const event of events) state = decider.evolve(state, event);
    states.set(streamId, state);
    written += events.length;
    return store.append(streamId, events.map((e) => newEvent(e as never, { at, actor: 'bench' })));
  };
  const round = async (commands: Iterable<[DomainCommand, string]>): Promise<void> => {
    const pending: Promise<unknown>[] = [];
    for (const [command, at] of commands) {
      const appended = decide(command, at);
      if (appended) pending.push(appended);
    }
    await Promise.all(pending);
    onProgress(written);
  };
  try {
    await round([[defineStrategy, T0], ...registerOrganisations.map((c): [DomainCommand, string] => [c, T0])]);
    const ids = Array.from({ length: parameters.partnerships }, (_, i) => `p${i}`);
    const chunks = (make: (id: string) => [DomainCommand, string]) => {
      const all = ids.map(make);
      const out: [DomainCommand, string][][] = [];
      for (let i = 0; i < all.length; i += 2000) out.push(all.slice(i, i + 2000));
      return out;
    };
    for (const chunk of chunks((id) => [propose(id, { name: `Partnership ${id}` }), day(0)])) await round(chunk);
    for (const chunk of chunks((id) => [admit(id, OCMW, 'olivia'), day(1)])) await round(chunk);
    for (const chunk of chunks((id) => [admit(id, VDAB, 'victor'), day(1)])) await round(chunk);
    const parties = [HOME, OCMW, VDAB];
    for (let step = 0; written < parameters.events; step++) {
      const at = day(2 + step);
      const party = parties[step % 3];
      const commandOf = (id: string): DomainCommand => {
        switch (step % 5) {
          case 0:
            return { type: 'RecordAssessment', partnershipId: id, assessmentId: `a${step}`, by: party, scores: scores(1 + (step % 5)) };
          case 1:
            return { type: 'DeclareInterest', partnershipId: id, interestId: `i${step}`, organisationId: party, kind: 'ORGANISATIONAL', description: 'continuity' };
          case 2:
            return { type: 'PledgeContribution', partnershipId: id, pledgeId: `pl${step}`, organisationId: party, direction: 'BRING', kind: 'MONEY', description: 'budget', amount: 1000 + step };
          case 3:
            return { type: 'RequestApproval', partnershipId: id, requestId: `r${step}`, body: 'STAFF', trigger: 'PARTY_ADMITTED', subject: 'inform staff', change: { organisationId: party } };
          default:
            return { type: 'AcknowledgeEscalation', partnershipId: id, escalationId: `request:r${step - 1}` };
        }
      };
      for (let i = 0; i < ids.length && written < parameters.events; i += 2000) {
        const chunk: [DomainCommand, string][] = [];
        for (const id of ids.slice(i, i + 2000)) chunk.push([commandOf(id), at]);
        await round(chunk);
      }
    }
  } finally {
    await store.close();
  }
  return written;
}
