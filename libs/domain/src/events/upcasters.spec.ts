import { eventSchemas, EVENT_TYPES } from './event-schemas';
import { StoredEventInvalidError, upcast } from './upcasters';
import { commandSchemas } from '../routing';
import { history, propose, T0 } from '../testing/fixtures';

describe('event schemas and upcasting', () => {
  const v1 = {
    partnershipId: 'p-old',
    name: 'Old network',
    themeId: 'work',
    owningDepartmentId: 'dept-social',
    description: 'stored before servesClients existed',
    purposeType: 'CHAIN',
    origin: { kind: 'CHOSEN' },
    motives: ['COMPLEX_PROBLEM'],
    quadrant: { relation: 'COOPERATIVE', resources: 'COMPLEMENTARY' },
    valueForHome: 'v',
    valueForPartnership: 'w',
    leadParty: { organisationId: 'org-home', delegate: { personId: 'anna', name: 'Anna' }, ambitionAtTable: null },
    proposedBy: 'manager-1',
    at: T0,
  };

  it('every event type has a current schema version and a data schema', () => {
    expect(EVENT_TYPES.length).toBeGreaterThan(30);
    expect(eventSchemas.PartnershipProposed.schemaVersion).toBe(2);
    expect(eventSchemas.PhaseAdvanced.schemaVersion).toBe(1);
  });

  it('a stored PartnershipProposed v1 reads as v2, with servesClients not stated yet', () => {
    expect(upcast('PartnershipProposed', 1, v1)).toEqual({ schemaVersion: 2, data: { ...v1, servesClients: null } });
  });

  it('current events pass through unchanged', () => {
    const [event] = history([propose()]);
    expect(upcast(event.type, 2, event.data)).toEqual({ schemaVersion: 2, data: event.data });
  });

  it('invalid stored data, unknown types and versions throw a typed error with field paths', () => {
    expect(() => upcast('PartnershipProposed', 1, { ...v1, motives: ['GREED'] })).toThrow(StoredEventInvalidError);
    try {
      upcast('PhaseAdvanced', 1, { from: 'EXPLORE', to: 'NOWHERE', authorisedBy: [], at: T0 });
    } catch (error) {
      expect(error).toBeInstanceOf(StoredEventInvalidError);
      expect((error as StoredEventInvalidError).issues[0].path).toBe('to');
    }
    expect(() => upcast('SomethingHappened', 1, {})).toThrow(StoredEventInvalidError);
    expect(() => upcast('PhaseAdvanced', 3, {})).toThrow(StoredEventInvalidError);
  });

  it('command schemas are strict: trimmed non-empty strings, enums, ranges, ISO dates, no unknown fields', () => {
    const ok = commandSchemas.ChangeScope.safeParse({ type: 'ChangeScope', partnershipId: ' p1 ', included: ['a'], excluded: ['b'], horizon: '2027-12-31' });
    expect(ok.success && ok.data.partnershipId).toBe('p1');
    const bad = commandSchemas.ChangeScope.safeParse({ type: 'ChangeScope', partnershipId: '  ', included: [], excluded: [''], horizon: '31/12/2027', extra: 1 });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['partnershipId', 'excluded.0', 'horizon', '']));
    const score = commandSchemas.RecordAssessment.safeParse({
      type: 'RecordAssessment',
      partnershipId: 'p',
      assessmentId: 'a',
      by: 'JOINT',
      scores: { AMBITION: { score: 6 }, INTERESTS: { score: 1 }, RELATION: { score: 1 }, ORGANISATION: { score: 1 }, PROCESS: { score: 2.5 } },
    });
    expect(score.error?.issues.map((i) => i.path.join('.'))).toEqual(['scores.AMBITION.score', 'scores.PROCESS.score']);
  });
});
