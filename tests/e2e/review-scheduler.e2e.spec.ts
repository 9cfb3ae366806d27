import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Ledger } from './support/ledger';
import { type RunningService, startService } from './support/service';

describe('the review scheduler (rule 8)', () => {
  let service: RunningService;
  afterAll(async () => {
    await service?.stop();
  });

  it('sends reviewPartnership(now) on its interval, raising a due stagnation escalation once', async () => {
    service = await startService({ env: { REVIEW_INTERVAL_SECONDS: '1' } });
    const ledger = new Ledger(await service.client('MANAGER'));
    const board = { authorization: `Bearer ${await service.token('BOARD')}` };
    const longAgo = new Date(Date.now() - 200 * 86_400_000).toISOString();
    await ledger.run('defineStrategy', {
      themes: [{ themeId: 'work', name: 'Work', criteria: [] }],
      nonNegotiableValues: [],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
    }, { headers: board });
    const proposed = await ledger.run(
      'proposePartnership',
      {
        name: 'Sleeping network',
        themeId: 'work',
        owningDepartmentId: 'dept',
        description: 'Nothing has happened for months',
        purposeType: 'INNOVATION',
        origin: { kind: 'CHOSEN' },
        motives: ['ACCELERATE_STRATEGY'],
        quadrant: { relation: 'COOPERATIVE', resources: 'COMPLEMENTARY' },
        valueForHome: 'x',
        valueForPartnership: 'y',
        leadParty: { organisationId: 'home', delegate: { personId: 'p', name: 'P' } },
      },
      { businessTime: longAgo },
    );
    const stagnation = () => {
      const db = new Database(join(service.dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
      try {
        const rows = db.prepare('SELECT type, data FROM events WHERE stream_id = ?').all(proposed.streamId) as { type: string; data: string }[];
        return rows.filter((r) => r.type === 'EscalationRaised' && (JSON.parse(r.data) as { trigger: string }).trigger === 'STAGNATION');
      } finally {
        db.close();
      }
    };
    const deadline = Date.now() + 15_000;
    while (stagnation().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(stagnation()).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 2500)); // two more reviews
    expect(stagnation()).toHaveLength(1);
  });
});
