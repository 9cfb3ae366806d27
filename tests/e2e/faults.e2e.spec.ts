import Database from 'better-sqlite3';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ledger } from './support/ledger';
import { type RunningService, startService, tempDataDir } from './support/service';
import { withMemberships } from './support/memberships';
import { until } from './support/until';

/**
 * Faults: a kill -9 in the middle of a burst loses no acknowledged command and the read model
 * restarts equal to a rebuild; the event store becoming unavailable (another process holding its
 * write lock) fails readiness and answers mutations UNAVAILABLE, and the service recovers by
 * itself once the lock is released; concurrent writers on one revision: exactly one wins.
 * (commands.e2e.spec.ts races two writers through the whole contract; read-side.e2e.spec.ts
 * checks the kill -9 restart against a from-scratch projection too.)
 */
const organisation = (id: string) => ({ organisationId: id, name: `Organisation ${id}`, kind: 'NON_PROFIT', isHome: false, departments: [] });

async function ready(service: RunningService): Promise<{ status: number; head?: number }> {
  const res = await fetch(`${service.url}/health/ready`);
  const body = (await res.json()) as { info?: { eventStore?: { head?: number } } };
  return { status: res.status, head: body.info?.eventStore?.head };
}

const READ_MODEL = `query($p: SafeInt) {
  portfolio(first: 500, position: $p) { totalCount nodes { id phase revision parties { organisationId active } openEscalationCount } }
  escalations(first: 500, position: $p) { totalCount nodes { escalationId partnershipId body level status } }
  organizations(first: 500, position: $p) { totalCount nodes { id } }
  auditTrail(first: 500, position: $p) { totalCount nodes { position type streamId actorId } }
}`;

describe('faults', () => {
  it('kill -9 during a burst of mutations: every acknowledged command is stored, the read model equals a rebuild', async () => {
    const dataDir = tempDataDir();
    let service = await startService({ dataDir });
    const ledger = new Ledger(await service.client('MANAGER', 'burst'));
    await ledger.run('registerOrganization', { ...organisation('org-home'), isHome: true, departments: [{ departmentId: 'dep', name: 'Dep' }] });
    await ledger.run(
      'defineStrategy',
      { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' },
      { headers: { authorization: `Bearer ${await service.token('BOARD')}` } },
    );
    const acknowledged: { eventIds: string[]; streamId: string; revision: number }[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const id = `p-${w}-${i}`;
        try {
          for (const [mutation, input] of [
            ['proposePartnership', { partnershipId: id, name: `Burst ${w}/${i}`, themeId: 'work', owningDepartmentId: 'dep', description: 'burst', purposeType: 'CHAIN', origin: { kind: 'CHOSEN' }, motives: ['COMPLEX_PROBLEM'], quadrant: { relation: 'COOPERATIVE', resources: 'SIMILAR' }, valueForHome: 'v', valueForPartnership: 'v', leadParty: { organisationId: 'org-home', delegate: { personId: 'a', name: 'A' } } }],
            ['admitParty', { partnershipId: id, organisationId: `org-partner-${i % 3}`, delegate: { personId: 'b', name: 'B' } }],
            ['requestApproval', { partnershipId: id, body: 'STAFF', trigger: 'PARTY_ADMITTED', subject: 'tell staff', change: { organisationId: `org-partner-${i % 3}` } }],
          ] as const) {
            const { result } = await ledger.attempt(mutation, input);
            if (result) acknowledged.push({ eventIds: result.events.map((e) => e.id), streamId: result.streamId, revision: result.revision });
          }
        } catch {
          return; // the service is gone
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    // Kill once the burst is well under way (a count, not a time).
    await until(async () => acknowledged.length, (n) => n >= 60, 'sixty acknowledged commands');
    await service.kill();
    stop = true;
    await Promise.all(writers);

    const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
    try {
      const stored = new Set(
        (db.prepare('SELECT lower(hex(event_id)) AS id FROM events').all() as { id: string }[]).map((r) => r.id),
      );
      for (const ack of acknowledged) for (const id of ack.eventIds) expect(stored.has(id.replace(/-/g, ''))).toBe(true);
      const revisions = db.prepare('SELECT max(revision) AS r FROM events WHERE stream_id = ?');
      for (const ack of acknowledged) expect((revisions.get(ack.streamId) as { r: number }).r).toBeGreaterThanOrEqual(ack.revision);
    } finally {
      db.close();
    }

    service = await startService({ dataDir });
    const { head } = await ready(service);
    const restarted = await withMemberships(await service.client('AUDITOR'), READ_MODEL, head);
    await service.stop();
    const fresh = tempDataDir();
    for (const file of ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm']) {
      if (existsSync(join(dataDir, file))) copyFileSync(join(dataDir, file), join(fresh, file));
    }
    const rebuilt = await startService({ dataDir: fresh });
    expect((await ready(rebuilt)).head).toBe(head);
    const fromScratch = await withMemberships(await rebuilt.client('AUDITOR'), READ_MODEL, head);
    await rebuilt.stop();
    expect(restarted).toEqual(fromScratch);
  });

  it('a store another process holds locked: readiness fails, mutations are UNAVAILABLE and record nothing; it recovers by itself', async () => {
    const dataDir = tempDataDir();
    const service = await startService({ dataDir });
    try {
      const ledger = new Ledger(await service.client('MANAGER'));
      await ledger.run('registerOrganization', organisation('org-before'));
      const before = await ready(service);
      expect(before.status).toBe(200);

      // Another process takes the write lock and keeps it.
      const intruder = new Database(join(dataDir, 'events.sqlite'));
      intruder.exec('BEGIN EXCLUSIVE');
      try {
        expect((await ready(service)).status).toBe(503);
        const refused = await ledger.attempt('registerOrganization', organisation('org-during'));
        expect(refused.result).toBeNull();
        expect(refused.errors[0]?.extensions.code).toBe('UNAVAILABLE');
      } finally {
        intruder.exec('ROLLBACK');
        intruder.close();
      }

      const after = await until(() => ready(service), (r) => r.status === 200, 'readiness after the lock is released');
      expect(after.head).toBe(before.head);
      const recorded = await ledger.run('registerOrganization', organisation('org-after'));
      expect(recorded.position).toBe((before.head as number) + 1);
    } finally {
      await service.stop();
    }
  });

  it.each([
    ['on the event loop', {}],
    ['on their worker thread', { PROJECTIONS_THREAD: 'true' }],
  ])('a read model another process holds locked: the projections (%s) wait, RETRYING in /metrics, then go on by themselves', async (_where, env) => {
    const service = await startService({ env: { READ_YOUR_WRITES_TIMEOUT_MS: '500', ...env } });
    const state = async (projection: string): Promise<string | undefined> => {
      const text = await (await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${await service.token('ADMIN')}` } })).text();
      const line = text.split('\n').find((l) => l.startsWith(`ppl_projection_state{projection="${projection}",`) && l.endsWith(' 1'));
      return line?.match(/state="(\w+)"/)?.[1];
    };
    try {
      const ledger = new Ledger(await service.client('MANAGER'));
      const board = await service.client('BOARD');
      const organisations = 'query($p: SafeInt) { organizations(first: 10, position: $p) { totalCount } }';
      await ledger.run('registerOrganization', organisation('org-before'));
      expect(await until(() => state('organizations'), (s) => s === 'LIVE', 'organizations LIVE')).toBe('LIVE');

      const intruder = new Database(join(service.dataDir, 'read-model.sqlite'));
      intruder.exec('BEGIN EXCLUSIVE');
      let during: { position: number };
      try {
        during = await ledger.run('registerOrganization', organisation('org-during'));
        // Its commit waits out the read model's busy timeout (5 s), then it waits and tries again.
        expect(await until(() => state('organizations'), (s) => s === 'RETRYING', 'organizations RETRYING')).toBe('RETRYING');
        const lagging = await board.request(organisations, { p: during.position });
        expect(lagging.errors?.[0]?.extensions?.code).toBe('PROJECTION_LAGGING');
      } finally {
        intruder.exec('ROLLBACK');
        intruder.close();
      }
      expect(await until(() => state('organizations'), (s) => s === 'LIVE', 'organizations LIVE again')).toBe('LIVE');
      const caughtUp = await board.data<{ organizations: { totalCount: number } }>(organisations, { p: during.position });
      expect(caughtUp.organizations.totalCount).toBe(2);
    } finally {
      await service.stop();
    }
  });

  it('an EventStoreDB it cannot reach: readiness fails and mutations are UNAVAILABLE, named as such', async () => {
    // Nothing listens on port 1: the scale-out adapter reports the store unreachable.
    const service = await startService({ env: { EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://127.0.0.1:1?tls=false' }, until: 'live' });
    try {
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(503);
      // Said without the driver's message, which names the host and port (health answers anyone).
      const body = JSON.stringify(await ready.json());
      expect(body).toMatch(/the event store does not answer/);
      expect(body).not.toMatch(/127\.0\.0\.1|:1\b/);
      expect(service.logs()).toMatch(/EventStoreDB unavailable/);
      const admin = await service.client('ADMIN');
      const refused = await admin.request('mutation { registerOrganization(input: { name: "X", kind: OTHER, isHome: false, departments: [] }) { position } }');
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
      expect(refused.errors?.[0]?.message).not.toMatch(/127\.0\.0\.1/);
      expect(refused.status).toBeLessThan(500);
    } finally {
      await service.stop();
    }
  });

  it('concurrent writers on one revision: exactly one wins each round, the others get CONCURRENCY_CONFLICT', async () => {
    const service = await startService();
    try {
      const ledger = new Ledger(await service.client('MANAGER'));
      await ledger.run('registerOrganization', { ...organisation('org-home'), isHome: true, departments: [{ departmentId: 'dep', name: 'Dep' }] });
      await ledger.run(
        'defineStrategy',
        { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' },
        { headers: { authorization: `Bearer ${await service.token('BOARD')}` } },
      );
      let revision = (
        await ledger.run('proposePartnership', { partnershipId: 'p-raced', name: 'Raced', themeId: 'work', owningDepartmentId: 'dep', description: 'raced', purposeType: 'CHAIN', origin: { kind: 'CHOSEN' }, motives: ['COMPLEX_PROBLEM'], quadrant: { relation: 'COOPERATIVE', resources: 'SIMILAR' }, valueForHome: 'v', valueForPartnership: 'v', leadParty: { organisationId: 'org-home', delegate: { personId: 'a', name: 'A' } } })
      ).revision;
      for (let round = 0; round < 5; round++) {
        const attempts = await Promise.all(
          Array.from({ length: 8 }, (_, w) =>
            ledger.attempt('assignNetworkRole', { partnershipId: 'p-raced', role: 'CHAMPION', person: { personId: `person-${round}-${w}`, name: `P ${round}/${w}` }, organisationId: 'org-home' }, { expectedRevision: revision }),
          ),
        );
        const winners = attempts.filter((a) => a.result);
        expect(winners).toHaveLength(1);
        for (const loser of attempts.filter((a) => !a.result)) expect(loser.errors[0]?.extensions.code).toBe('CONCURRENCY_CONFLICT');
        revision = winners[0]?.result?.revision as number;
      }
    } finally {
      await service.stop();
    }
  });
});
