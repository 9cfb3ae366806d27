import { SqliteEventStore } from '../../libs/event-store/src';
import { EmbeddedReadModelStore } from '../../libs/read-model/src';
import { ProjectionRunner, READ_SIDE_PROJECTIONS } from '../../libs/projections/src';
import { LedgerHistory, newEvent } from '../../libs/projections/src/testing/ledger-history';
import { admit, defineStrategy, propose, registerOrganisations, scores, T0, day, HOME, OCMW, VDAB } from '../../libs/projections/src/testing/scenario';
import type { DomainCommand } from '../../libs/domain/src';
import { join } from 'node:path';
import { fmt, intArg, rate, ratio, timed, withTempDir } from './bench-support';

/**
 * Rebuilding every read-side projection from a generated history, beside the store's raw
 * read-all rate in the same run. The history is decided by the domain's own deciders: per
 * partnership a proposal, two admissions, then a cycle of assessments, interests, pledges and
 * approval requests with acknowledgements (so states grow as real ones do).
 * `--events N --partnerships P` (defaults 100,000 over 1,000 — the 1,000,000 over 10,000
 * takes far longer than 3 minutes on 2 shared cores; see the figures).
 */
export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const events = intArg(args, 'events', 100_000);
  const partnerships = intArg(args, 'partnerships', 1_000);
  return withTempDir(async (dir) => {
    const store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
    const generated = await timed(() => generate(store, events, partnerships));
    const head = await store.headPosition();
    console.log(`generated ${head.toLocaleString('en-US')} events over ${partnerships.toLocaleString('en-US')} partnerships in ${generated.toFixed(1)} s`);

    let read = 0;
    const readSeconds = await timed(async () => {
      let after: number | undefined;
      for (;;) {
        const page = await store.readAll({ ...(after === undefined ? {} : { after }), maxCount: 5000 });
        if (page.length === 0) break;
        read += page.length;
        after = page[page.length - 1].position;
      }
    });
    const readAll = rate(read, readSeconds);

    const readModel = EmbeddedReadModelStore.open({ dataDir: dir });
    const runner = new ProjectionRunner(store, readModel, READ_SIDE_PROJECTIONS);
    const perProjection: Record<string, { processed: number; seconds: number; eventsPerSecond: number }> = {};
    const total = await timed(async () => {
      for (const p of READ_SIDE_PROJECTIONS) {
        const result = await runner.rebuild(p.name);
        perProjection[p.name] = { processed: result.processed, seconds: result.durationMs / 1000, eventsPerSecond: rate(result.processed, result.durationMs / 1000) };
      }
    });
    const rebuild = rate(read, total);
    await readModel.close();
    await store.close();
    for (const [name, f] of Object.entries(perProjection)) console.log(`  ${name.padEnd(14)} ${f.processed} events in ${f.seconds.toFixed(1)} s (${fmt(f.eventsPerSecond)})`);
    console.log(`rebuild all ${fmt(rebuild)}  read-all ${fmt(readAll)}  ratio ${ratio(rebuild, readAll).toFixed(3)}  (events of the store per second of rebuilding all projections)`);
    return { unit: 'events/s', events: read, partnerships, rebuildAll: rebuild, readAll, ratio: ratio(rebuild, readAll), perProjection };
  });
}

async function generate(store: SqliteEventStore, target: number, partnerships: number): Promise<void> {
  const ledger = new LedgerHistory();
  let written = 0;
  const record = async (command: DomainCommand, at: string) => {
    const recorded = ledger.decide(command, { at, actor: 'bench' });
    if (recorded.length === 0) return;
    const streamId = recorded[0].streamId;
    await store.append(streamId, recorded.map((e) => newEvent({ type: e.type, data: e.data } as never, { at, actor: 'bench' })));
    written += recorded.length;
  };
  await record(defineStrategy, T0);
  for (const c of registerOrganisations) await record(c, T0);
  const ids = Array.from({ length: partnerships }, (_, i) => `p${i}`);
  for (const id of ids) {
    await record(propose(id, { name: `Partnership ${id}` }), day(0));
    await record(admit(id, OCMW, 'olivia'), day(1));
    await record(admit(id, VDAB, 'victor'), day(1));
  }
  const parties = [HOME, OCMW, VDAB];
  for (let step = 0; written < target; step++) {
    for (const id of ids) {
      if (written >= target) break;
      const at = day(2 + step);
      const party = parties[step % 3];
      switch (step % 5) {
        case 0:
          await record({ type: 'RecordAssessment', partnershipId: id, assessmentId: `a${step}`, by: party, scores: scores(1 + (step % 5)) }, at);
          break;
        case 1:
          await record({ type: 'DeclareInterest', partnershipId: id, interestId: `i${step}`, organisationId: party, kind: 'ORGANISATIONAL', description: 'continuity' }, at);
          break;
        case 2:
          await record({ type: 'PledgeContribution', partnershipId: id, pledgeId: `pl${step}`, organisationId: party, direction: 'BRING', kind: 'MONEY', description: 'budget', amount: 1000 + step }, at);
          break;
        case 3:
          await record({ type: 'RequestApproval', partnershipId: id, requestId: `r${step}`, body: 'STAFF', trigger: 'PARTY_ADMITTED', subject: 'inform staff' }, at);
          break;
        default:
          await record({ type: 'AcknowledgeEscalation', partnershipId: id, escalationId: `request:r${step - 1}` }, at);
      }
    }
  }
}
