import type { CommandType } from '@ppl/domain';

/**
 * The demo portfolio: a Flemish municipality ("Gemeente Zandhoven") and a dozen partnerships
 * drawn from the source documents — activation networks with the public employment service
 * and the welfare centre, a House of the Child imposed by an outside authority, a learning
 * network, a shared-services network heading for a merger that hits the board's mandatory
 * escalation, one ended partnership — spread over every phase, with interests of all three
 * kinds, decisions, escalations, assessments and evaluations.
 *
 * Every step has a fixed command id and a business time fixed by the demo's first day (see
 * `demoPortfolio`), so seeding is reproducible and a second run (or a run resumed after Ctrl-C)
 * records nothing twice. The story spans `DEMO_SPAN_DAYS` days; the seed dates it so that it
 * ends just before the day it is seeded, and a board looking at it sees the signals and overdue
 * escalations its histories imply, not those of the months since a fixed date.
 */
export interface SeedStep {
  readonly commandId: string;
  readonly type: CommandType;
  readonly input: Record<string, unknown>;
  readonly businessTime: string;
  readonly actor: { readonly id: string; readonly role: string };
  /** A step that the ledger must refuse (shown to the operator as an expected refusal). */
  readonly expectRefusal?: string;
}

const DAY_MS = 86_400_000;

const MANAGER = { id: 'mieke.manager', role: 'MANAGER' };
const BOARD = { id: 'bart.board-secretary', role: 'BOARD' };
const EXECUTIVE = { id: 'els.general-director', role: 'EXECUTIVE' };
const ADMIN = { id: 'adam.admin', role: 'ADMIN' };

export const HOME = 'org-zandhoven';
const DEPT = { social: 'dept-social', work: 'dept-work', child: 'dept-child', facility: 'dept-facility' };
const ORGS = {
  ocmw: 'org-ocmw-zandhoven',
  vdab: 'org-vdab',
  ploeg: 'org-maatwerk-de-ploeg',
  acv: 'org-acv',
  voka: 'org-voka',
  opgroeien: 'org-opgroeien',
  schakels: 'org-welzijnsschakels',
  grobbendonk: 'org-grobbendonk',
  elz: 'org-eerstelijnszone-kempen',
  caw: 'org-caw-de-kempen',
  digit: 'org-digit-nv',
  cluster: 'org-ocmw-cluster-kempen',
};

const DELEGATES: Record<string, { personId: string; name: string }> = {
  [HOME]: { personId: 'p-anna', name: 'Anna Peeters' },
  [ORGS.ocmw]: { personId: 'p-olivier', name: 'Olivier Maes' },
  [ORGS.vdab]: { personId: 'p-veerle', name: 'Veerle Janssens' },
  [ORGS.ploeg]: { personId: 'p-pieter', name: 'Pieter Claes' },
  [ORGS.acv]: { personId: 'p-ahmed', name: 'Ahmed El Amrani' },
  [ORGS.voka]: { personId: 'p-valerie', name: 'Valérie Dubois' },
  [ORGS.opgroeien]: { personId: 'p-ortwin', name: 'Ortwin Wouters' },
  [ORGS.schakels]: { personId: 'p-sofie', name: 'Sofie Goossens' },
  [ORGS.grobbendonk]: { personId: 'p-gert', name: 'Gert Willems' },
  [ORGS.elz]: { personId: 'p-eline', name: 'Eline Jacobs' },
  [ORGS.caw]: { personId: 'p-carla', name: 'Carla Mertens' },
  [ORGS.digit]: { personId: 'p-dirk', name: 'Dirk Vermeulen' },
  [ORGS.cluster]: { personId: 'p-kris', name: 'Kris Hermans' },
};

class Script {
  readonly steps: SeedStep[] = [];
  private n = 0;

  /** `firstDay`: the business time of day 0 (epoch milliseconds). */
  constructor(private readonly firstDay: number) {}

  /** Day `n` of the story as an ISO date-time (the same hour of day as day 0). */
  at(n: number): string {
    return new Date(this.firstDay + n * DAY_MS).toISOString();
  }

  add(type: CommandType, input: Record<string, unknown>, day: number, actor = MANAGER, expectRefusal?: string): void {
    this.n++;
    this.steps.push({
      commandId: `seed-${String(this.n).padStart(4, '0')}-${type}`,
      type,
      input,
      businessTime: this.at(day),
      actor,
      ...(expectRefusal ? { expectRefusal } : {}),
    });
  }
}

interface PartnershipSpec {
  id: string;
  name: string;
  theme: string;
  department: string;
  description: string;
  purposeType: string;
  origin: { kind: 'CHOSEN' } | { kind: 'IMPOSED'; imposedBy: string };
  motives: string[];
  quadrant: { relation: 'COOPERATIVE' | 'COMPETITIVE'; resources: 'SIMILAR' | 'COMPLEMENTARY' };
  parties: string[];
  start: number;
  servesClients: string;
}

function organisations(s: Script): void {
  s.add('RegisterOrganization', {
    organisationId: HOME,
    name: 'Gemeente Zandhoven',
    kind: 'LOCAL_GOVERNMENT',
    isHome: true,
    departments: [
      { departmentId: DEPT.social, name: 'Welzijn en sociale dienst' },
      { departmentId: DEPT.work, name: 'Werk en economie' },
      { departmentId: DEPT.child, name: 'Opgroeien en onderwijs' },
      { departmentId: DEPT.facility, name: 'Facilitaire diensten en ICT' },
    ],
  }, 0, ADMIN);
  const partners: [string, string, string][] = [
    [ORGS.ocmw, 'OCMW Zandhoven', 'PUBLIC_SOCIAL_WELFARE_CENTRE'],
    [ORGS.vdab, 'VDAB regio Kempen', 'PUBLIC_EMPLOYMENT_SERVICE'],
    [ORGS.ploeg, 'Maatwerkbedrijf De Ploeg', 'CUSTOM_EMPLOYMENT_COMPANY'],
    [ORGS.acv, 'ACV Kempen', 'UNION'],
    [ORGS.voka, 'Voka Kempen', 'EMPLOYER_ORGANISATION'],
    [ORGS.opgroeien, 'Opgroeien regie', 'GOVERNMENT_AGENCY'],
    [ORGS.schakels, 'Welzijnsschakels Zandhoven vzw', 'NON_PROFIT'],
    [ORGS.grobbendonk, 'Gemeente Grobbendonk', 'LOCAL_GOVERNMENT'],
    [ORGS.elz, 'Eerstelijnszone Kempen', 'OTHER'],
    [ORGS.caw, 'CAW De Kempen', 'NON_PROFIT'],
    [ORGS.digit, 'Digit nv', 'COMPANY'],
    [ORGS.cluster, 'OCMW-cluster Kempen', 'PUBLIC_SOCIAL_WELFARE_CENTRE_CLUSTER'],
  ];
  for (const [organisationId, name, kind] of partners) {
    s.add('RegisterOrganization', { organisationId, name, kind, isHome: false, departments: [] }, 0, ADMIN);
  }
}

function strategy(s: Script): void {
  s.add('DefineStrategy', {
    themes: [
      { themeId: 'work', name: 'Werk en activering', criteria: ['kent de lokale arbeidsmarkt', 'bereikt kwetsbare werkzoekenden'] },
      { themeId: 'child', name: 'Opgroeien', criteria: ['laagdrempelig voor gezinnen'] },
      { themeId: 'care', name: 'Zorg en welzijn', criteria: ['werkt outreachend', 'deelt cliëntinformatie veilig'] },
      { themeId: 'services', name: 'Gedeelde diensten', criteria: ['schaalvoordeel zonder verlies van nabijheid'] },
      { themeId: 'learning', name: 'Leren en innoveren', criteria: ['deelt kennis open'] },
    ],
    nonNegotiableValues: ['de cliënt centraal', 'publieke verantwoording', 'lokale autonomie'],
    highestLegalFormWithoutBoardDecision: 'COVENANT',
    thresholds: { stagnationDays: 90 },
  }, 1, ADMIN);
  const rules = [
    { ruleId: 'execute-board', trigger: 'PHASE_ENTERED', params: { phase: 'EXECUTE' }, body: 'BOARD', level: 'MANDATORY', deadlineDays: 30 },
    { ruleId: 'agree-staff', trigger: 'PHASE_ENTERED', params: { phase: 'AGREE' }, body: 'STAFF', level: 'EXPECTED', deadlineDays: 14 },
    { ruleId: 'withdraw-staff', trigger: 'PARTY_WITHDRAWN', body: 'STAFF', level: 'INFORM', deadlineDays: 7 },
    { ruleId: 'delegate-executive', trigger: 'DELEGATE_REPLACED', body: 'EXECUTIVE', level: 'EXPECTED', deadlineDays: 14 },
    { ruleId: 'scope-executive', trigger: 'SCOPE_CHANGED', body: 'EXECUTIVE', level: 'EXPECTED', deadlineDays: 14 },
    { ruleId: 'money-board', trigger: 'CONTRIBUTION_ABOVE', params: { amount: 50000 }, body: 'BOARD', level: 'MANDATORY', deadlineDays: 30 },
    { ruleId: 'skip-board', trigger: 'PHASES_SKIPPED', body: 'BOARD', level: 'EXPECTED', deadlineDays: 14 },
    { ruleId: 'end-board', trigger: 'PARTNERSHIP_ENDED', body: 'BOARD', level: 'EXPECTED', deadlineDays: 30 },
  ];
  for (const rule of rules) s.add('SetEscalationRule', { rule }, 1, ADMIN);
  s.add('AssessCapability', {
    assessmentId: 'capability-2025',
    conditions: {
      STRATEGY_TRANSLATION: { maturity: 3, notes: 'strategie vertaald, nog niet per thema' },
      CULTURE_LEADERSHIP_STEERING: { maturity: 2 },
      INTERNAL_ORGANISATION: { maturity: 2, notes: 'afdelingen zien elkaars partners niet' },
      SYSTEMS_TOOLS_SKILLS: { maturity: 1 },
    },
    notes: 'Common Eye zelfevaluatie door het managementteam',
  }, 2, EXECUTIVE);
}

/** The building blocks of a partnership's life, each satisfying the next gate. */
class Life {
  private goals: string[] = [];
  private pledges: string[] = [];
  private decisions = 0;
  private delivered = 0;
  constructor(
    private readonly s: Script,
    readonly spec: PartnershipSpec,
  ) {}

  private p(extra: Record<string, unknown> = {}) {
    return { partnershipId: this.spec.id, ...extra };
  }

  propose(day = this.spec.start): this {
    const { spec } = this;
    this.s.add('ProposePartnership', this.p({
      name: spec.name,
      themeId: spec.theme,
      owningDepartmentId: spec.department,
      description: spec.description,
      purposeType: spec.purposeType,
      origin: spec.origin,
      motives: spec.motives,
      quadrant: spec.quadrant,
      valueForHome: `${spec.name}: minder versnippering voor de gemeente`,
      valueForPartnership: 'samen bereiken wat niemand alleen kan',
      leadParty: { organisationId: HOME, delegate: DELEGATES[HOME] },
    }), day);
    return this;
  }

  admit(day: number, parties = this.spec.parties.filter((o) => o !== HOME)): this {
    for (const org of parties) this.s.add('AdmitParty', this.p({ organisationId: org, delegate: DELEGATES[org] }), day);
    return this;
  }

  advance(toPhase: string, day: number, extra: Record<string, unknown> = {}, actor = MANAGER, expectRefusal?: string): this {
    this.s.add('AdvancePhase', this.p({ toPhase, ...extra }), day, actor, expectRefusal);
    return this;
  }

  interests(day: number, parties = this.spec.parties): this {
    parties.forEach((org, i) => {
      this.s.add('DeclareInterest', this.p({
        interestId: `${this.spec.id}-${org}-org`,
        organisationId: org,
        kind: 'ORGANISATIONAL',
        description: ['continuïteit van de eigen dienstverlening', 'imago als betrouwbare partner', 'financieel evenwicht', 'groei van het aanbod'][i % 4],
        position: 'we willen zichtbaar blijven als eigen organisatie',
        lossIfNoCollaboration: 'we verliezen cliënten die tussen de mazen vallen',
      }), day);
      this.s.add('DeclareInterest', this.p({
        interestId: `${this.spec.id}-${org}-ind`,
        organisationId: org,
        kind: 'INDIVIDUAL',
        description: 'overtuiging dat samenwerken de cliënt beter helpt',
      }), day);
    });
    this.s.add('DeclareInterest', this.p({
      interestId: `${this.spec.id}-collective`,
      organisationId: HOME,
      kind: 'COLLECTIVE',
      description: this.spec.servesClients,
      dealbreaker: true,
    }), day);
    this.s.add('ChangeScope', this.p({
      included: ['trajectbegeleiding', 'gedeelde intake'],
      excluded: ['beslissingen over leefloon', 'personeelsbeleid van de partners'],
      horizon: '2028-12-31',
      servesClients: this.spec.servesClients,
    }), day);
    return this;
  }

  ambition(day: number, moneyBy?: { org: string; amount: number }): this {
    const g1 = `${this.spec.id}-goal-1`;
    const g2 = `${this.spec.id}-goal-2`;
    this.goals = [g1, g2];
    this.s.add('FormulateAmbition', this.p({
      statement: `Met ${this.spec.name} heeft elke betrokken inwoner één aanspreekpunt en één plan.`,
      goals: [
        { goalId: g1, kind: 'QUANTITATIVE', description: 'bereikte inwoners', indicator: 'inwoners met een gedeeld plan', target: 120 },
        { goalId: g2, kind: 'QUALITATIVE', description: 'ervaring van de inwoner', question: 'Ervaren inwoners één route in plaats van drie loketten?' },
      ],
      noGoAreas: ['sanctioneren van cliënten'],
    }), day);
    for (const org of this.spec.parties) {
      this.s.add('EndorseAmbition', this.p({ organisationId: org }), day + 1);
      const pledgeId = `${this.spec.id}-pledge-${org}`;
      this.pledges.push(pledgeId);
      const money = moneyBy?.org === org;
      this.s.add('PledgeContribution', this.p({
        pledgeId,
        organisationId: org,
        direction: 'BRING',
        kind: money ? 'MONEY' : 'TIME',
        description: money ? 'werkingsmiddelen voor de gedeelde coördinator' : 'een trajectbegeleider één dag per week',
        amount: money ? moneyBy?.amount : 8,
      }), day + 1);
    }
    return this;
  }

  governance(day: number, legalForm = 'COVENANT', extra: Record<string, unknown> = {}, expectRefusal?: string): this {
    this.s.add('DefineGovernance', this.p({
      decisionRights: 'stuurgroep van de afgevaardigden beslist bij consensus; budget boven 10.000 euro naar de besturen',
      taskAllocation: 'OCMW coördineert, VDAB matcht, gemeente host',
      membership: 'de ondertekenaars van het convenant',
      costAndRevenueSplit: 'kosten naar rato van het aantal trajecten',
      legalForm,
      exitArrangements: {
        howToLeave: 'schriftelijke opzeg aan de stuurgroep',
        noticePeriod: '6 maanden',
        sharedAssets: 'blijven bij de gastorganisatie',
        data: 'terug naar elke partner, gedeelde dossiers gearchiveerd',
        staff: 'keert terug naar de eigen werkgever',
      },
      ...extra,
    }), day, MANAGER, expectRefusal);
    if (!expectRefusal) {
      this.s.add('AssignNetworkRole', this.p({ role: 'OPERATOR', person: DELEGATES[this.spec.parties[1] ?? HOME], organisationId: this.spec.parties[1] ?? HOME }), day);
      this.s.add('AssignNetworkRole', this.p({ role: 'VISION_KEEPER', person: DELEGATES[HOME], organisationId: HOME }), day);
    }
    return this;
  }

  /** The board approves entering EXECUTE (a MANDATORY rule), then the manager advances citing it. */
  executeWithBoardApproval(day: number, outcome: 'APPROVED' | 'CONDITIONAL' = 'APPROVED'): this {
    const requestId = `${this.spec.id}-request-execute`;
    const decisionId = `${this.spec.id}-decision-${++this.decisions}`;
    this.s.add('RequestApproval', this.p({ requestId, body: 'BOARD', trigger: 'PHASE_ENTERED', subject: `start uitvoering ${this.spec.name}`, change: { phase: 'EXECUTE' } }), day);
    this.s.add('RecordDecision', this.p({
      decisionId,
      body: 'BOARD',
      requestId,
      outcome,
      rationale: 'past in de samenwerkingsstrategie; belangen zijn uitgesproken',
      ...(outcome === 'CONDITIONAL' ? { conditions: [{ conditionId: `${decisionId}-c1`, description: 'een verwerkersovereenkomst voor gedeelde dossiers is getekend' }] } : {}),
    }), day + 7, BOARD);
    this.s.add('AdvancePhase', this.p({ toPhase: 'EXECUTE', approvals: [decisionId] }), day + 8);
    return this;
  }

  doing(day: number, actual = 40): this {
    const pledgeId = this.pledges[this.delivered++];
    if (pledgeId) this.s.add('ReportContributionDelivered', this.p({ pledgeId, note: 'geleverd zoals beloofd' }), day);
    if (this.goals[0]) this.s.add('ReportGoalProgress', this.p({ goalId: this.goals[0], actual, note: 'stand van zaken' }), day);
    return this;
  }

  assess(day: number, scores: Record<string, number[]>): this {
    for (const [by, [a, i, r, o, p]] of Object.entries(scores)) {
      this.s.add('RecordAssessment', this.p({
        assessmentId: `${this.spec.id}-assessment-${by}-${day}`,
        by,
        scores: {
          AMBITION: { score: a },
          INTERESTS: { score: i },
          RELATION: { score: r },
          ORGANISATION: { score: o },
          PROCESS: { score: p, note: 'reflectiemodel, vijf perspectieven' },
        },
      }), day);
    }
    return this;
  }

  evaluate(day: number, verdict: 'ON_COURSE' | 'ADJUST' | 'STOP', actual: number): this {
    this.s.add('RecordEvaluation', this.p({
      evaluationId: `${this.spec.id}-evaluation-${day}`,
      period: { from: this.s.at(day - 180).slice(0, 10), to: this.s.at(day).slice(0, 10) },
      indicators: [{ goalId: this.goals[0], indicator: 'inwoners met een gedeeld plan', target: 120, actual }],
      answers: [{ question: 'Zitten we nog op koers?', answer: verdict === 'ON_COURSE' ? 'ja' : verdict === 'ADJUST' ? 'bijsturen nodig' : 'nee, stoppen' }],
      lessons: ['deel cliëntinformatie vroeger', 'betrek de medewerkers op voorhand'],
      verdict,
    }), day);
    return this;
  }
}

const spec = (s: Partial<PartnershipSpec> & Pick<PartnershipSpec, 'id' | 'name' | 'theme' | 'parties' | 'start'>): PartnershipSpec => ({
  department: DEPT.social,
  description: `${s.name}: samenwerking rond een vraag die niemand alleen oplost.`,
  purposeType: 'CHAIN',
  origin: { kind: 'CHOSEN' },
  motives: ['COMPLEX_PROBLEM', 'SINGLE_POINT_OF_CONTACT'],
  quadrant: { relation: 'COOPERATIVE', resources: 'COMPLEMENTARY' },
  servesClients: 'één aanspreekpunt en één plan per inwoner',
  ...s,
});

function partnerships(s: Script): void {
  // 1. The flagship: a local activation network, all the way to execution and evaluation.
  new Life(s, spec({ id: 'p-activation-network', name: 'Lokaal activeringsnetwerk', theme: 'work', department: DEPT.work, parties: [HOME, ORGS.ocmw, ORGS.vdab], start: 10 }))
    .propose().admit(12).advance('SHARE', 20).interests(40).advance('AGREE', 60)
    .ambition(80).advance('DESIGN', 100).governance(120).executeWithBoardApproval(130, 'CONDITIONAL')
    .doing(200).assess(210, { [HOME]: [4, 4, 4, 3, 4], [ORGS.ocmw]: [4, 3, 4, 3, 4], [ORGS.vdab]: [3, 3, 3, 3, 3] })
    .evaluate(320, 'ON_COURSE', 95).doing(420, 110);

  // 2. A House of the Child, imposed by the regional authority: imbalance by design.
  const houseOfTheChild = new Life(s, spec({ id: 'p-house-of-the-child', name: 'Huis van het Kind', theme: 'child', department: DEPT.child, purposeType: 'INFRASTRUCTURE', origin: { kind: 'IMPOSED', imposedBy: 'Opgroeien (Vlaamse overheid)' }, motives: ['DIVISION_OF_TERRITORY_OR_TARGET_GROUP'], parties: [HOME, ORGS.opgroeien, ORGS.ocmw], start: 30 }))
    .propose().admit(31).advance('SHARE', 45).interests(70).advance('AGREE', 90)
    .ambition(110, { org: HOME, amount: 45000 }).advance('DESIGN', 140);

  // 3. A learning network on poverty: agreeing, not everybody endorses yet.
  new Life(s, spec({ id: 'p-learning-network', name: 'Lerend netwerk armoedebestrijding', theme: 'learning', purposeType: 'LEARNING_NETWORK', motives: ['LEARNING_TOGETHER', 'ACCESS_TO_KNOWLEDGE_OR_MEANS'], quadrant: { relation: 'COOPERATIVE', resources: 'SIMILAR' }, parties: [HOME, ORGS.schakels, ORGS.caw], start: 50 }))
    .propose().admit(52).advance('SHARE', 70).interests(100).advance('AGREE', 130)
    .assess(150, { [HOME]: [4, 4, 4, 3, 3], [ORGS.schakels]: [2, 3, 2, 3, 2], [ORGS.caw]: [4, 4, 4, 4, 4] });

  // 4. Shared ICT services with the neighbouring municipality, heading for a merger:
  //    the form beyond the strategy's boundary needs the board; the request waits on its agenda.
  const ict = new Life(s, spec({ id: 'p-shared-ict', name: 'Gedeelde ICT-dienst', theme: 'services', department: DEPT.facility, purposeType: 'SHARED_SERVICES', motives: ['COST_EFFICIENCY', 'TOO_SMALL_ALONE'], quadrant: { relation: 'COMPETITIVE', resources: 'SIMILAR' }, parties: [HOME, ORGS.grobbendonk, ORGS.digit], start: 40 }));
  ict.propose().admit(41).advance('SHARE', 60).interests(80).advance('AGREE', 100).ambition(120).advance('DESIGN', 150)
    .governance(170, 'MERGER', {}, 'APPROVAL_REQUIRED');
  s.add('RequestApproval', { partnershipId: 'p-shared-ict', requestId: 'p-shared-ict-request-merger', body: 'BOARD', trigger: 'LEGAL_FORM_CHANGED', subject: 'fusie van de ICT-diensten van Zandhoven en Grobbendonk', change: { legalForm: 'MERGER' } }, 171);

  // 5. Social-economy route with the custom employment company: sharing interests.
  const socialEconomy = new Life(s, spec({ id: 'p-social-economy', name: 'Traject sociale economie', theme: 'work', department: DEPT.work, parties: [HOME, ORGS.ploeg, ORGS.vdab], start: 200 }))
    .propose().admit(201).advance('SHARE', 215);

  // 6. Job coaching with the union and the employers: exploring.
  new Life(s, spec({ id: 'p-job-coaching', name: 'Jobcoaching op de werkvloer', theme: 'work', department: DEPT.work, motives: ['COINCIDING_INTERESTS'], parties: [HOME, ORGS.acv, ORGS.voka], start: 380 }))
    .propose().admit(381);

  // 7. First-line care zone network, imposed; parties see it very differently.
  new Life(s, spec({ id: 'p-first-line-care', name: 'Zorgnetwerk eerstelijnszone', theme: 'care', origin: { kind: 'IMPOSED', imposedBy: 'Eerstelijnszone Kempen' }, parties: [HOME, ORGS.elz, ORGS.ocmw], start: 150 }))
    .propose().admit(151).advance('SHARE', 170)
    .assess(200, { [HOME]: [4, 4, 4, 4, 4], [ORGS.elz]: [2, 2, 3, 2, 2], [ORGS.ocmw]: [3, 3, 3, 3, 3] });

  // 8. Digital inclusion innovation: skipped straight to AGREE with a justification.
  const digitalInclusion = new Life(s, spec({ id: 'p-digital-inclusion', name: 'Innovatieproject digitale inclusie', theme: 'learning', purposeType: 'INNOVATION', motives: ['ACCELERATE_STRATEGY'], parties: [HOME, ORGS.digit, ORGS.schakels], start: 250 }))
    .propose().admit(251).advance('AGREE', 260, { justification: 'subsidieoproep sluit over drie weken' });

  // 9. Neighbourhood work with a non-profit: executing, then silence (stagnation, no doing).
  new Life(s, spec({ id: 'p-neighbourhood', name: 'Buurtwerk Pulderbos', theme: 'care', motives: ['IDEALISM'], parties: [HOME, ORGS.schakels], start: 5 }))
    .propose().admit(6).advance('SHARE', 15).interests(25).advance('AGREE', 35)
    .ambition(45).advance('DESIGN', 55).governance(65, 'RULES_OF_PLAY').executeWithBoardApproval(70);

  // 10. An employment project that ended.
  const ended = new Life(s, spec({ id: 'p-employment-2019', name: 'Tewerkstellingsproject wijkwerken', theme: 'work', department: DEPT.work, parties: [HOME, ORGS.vdab], start: 3 }));
  ended.propose().admit(4).advance('SHARE', 20);
  s.add('EndPartnership', { partnershipId: 'p-employment-2019', reason: 'opgenomen in het regionale wijkwerken' }, 90);

  // 11. Childcare with the CAW "because collaborating is good": the only motive is a warning sign.
  new Life(s, spec({ id: 'p-childcare-caw', name: 'Samenwerking kinderopvang', theme: 'child', department: DEPT.child, motives: ['COLLABORATION_FOR_ITS_OWN_SAKE'], parties: [HOME, ORGS.caw], start: 420 }))
    .propose();

  // 12. Joint purchasing of the OCMW cluster: executing, evaluated STOP (the board hears of it).
  const jointPurchasing = new Life(s, spec({ id: 'p-joint-purchasing', name: 'Gezamenlijke aankoop OCMW-cluster', theme: 'services', department: DEPT.facility, purposeType: 'SHARED_SERVICES', motives: ['COST_EFFICIENCY'], parties: [HOME, ORGS.cluster, ORGS.ocmw], start: 20 }))
    .propose().admit(21).advance('SHARE', 30).interests(40).advance('AGREE', 50)
    .ambition(60).advance('DESIGN', 70).governance(80).executeWithBoardApproval(90)
    .doing(150, 20).evaluate(300, 'STOP', 25);

  // The delegate of the VDAB changes in the activation network (an EXPECTED escalation).
  s.add('ReplaceDelegate', { partnershipId: 'p-activation-network', organisationId: ORGS.vdab, delegate: { personId: 'p-victor', name: 'Victor Hendrickx' }, rationale: 'Veerle Janssens kreeg een andere opdracht' }, 430);

  // Before the board meeting, the parties of most partnerships take stock with the reflection
  // model, so the portfolio's heat map has something to show (added after every other step: the
  // command ids of a ledger seeded before stay the same).
  // The House of the Child: Opgroeien's view falls by more than a point (declining support).
  houseOfTheChild
    .assess(300, { [HOME]: [3, 3, 3, 3, 3], [ORGS.opgroeien]: [4, 4, 4, 4, 4], [ORGS.ocmw]: [3, 3, 4, 3, 3] })
    .assess(425, { [HOME]: [3, 3, 3, 3, 3], [ORGS.opgroeien]: [3, 2, 3, 3, 2], [ORGS.ocmw]: [3, 3, 4, 3, 3] });
  // Shared ICT: the neighbouring municipality and the supplier keep their own agendas.
  ict.assess(426, { [HOME]: [4, 3, 3, 4, 3], [ORGS.grobbendonk]: [4, 3, 3, 4, 3], [ORGS.digit]: [3, 2, 3, 3, 3] });
  // Joint purchasing, evaluated STOP: every party scores it low.
  jointPurchasing.assess(427, { [HOME]: [2, 2, 3, 2, 2], [ORGS.cluster]: [2, 2, 3, 2, 1], [ORGS.ocmw]: [2, 3, 3, 2, 2] });
  socialEconomy.assess(428, { [HOME]: [3, 4, 4, 3, 3], [ORGS.ploeg]: [4, 4, 4, 3, 4], [ORGS.vdab]: [3, 3, 4, 3, 3] });
  digitalInclusion.assess(429, { [HOME]: [4, 3, 3, 2, 2], [ORGS.digit]: [4, 3, 3, 2, 3], [ORGS.schakels]: [3, 2, 3, 2, 2] });
}

function script(firstDay: number): Script {
  const s = new Script(firstDay);
  organisations(s);
  strategy(s);
  partnerships(s);
  return s;
}

/** How many days the demo's story spans: its last step is on day `DEMO_SPAN_DAYS`. */
export const DEMO_SPAN_DAYS = Math.max(...script(0).steps.map((step) => Date.parse(step.businessTime) / DAY_MS));

/** Day 0 of a demo whose last step is on `endsOn` (a date, YYYY-MM-DD): 09:00 UTC, DEMO_SPAN_DAYS before. */
export function demoFirstDay(endsOn: string): string {
  const end = Date.parse(`${endsOn}T09:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(endsOn) || Number.isNaN(end) || new Date(end).toISOString().slice(0, 10) !== endsOn)
    throw new RangeError(`not a date (YYYY-MM-DD): ${endsOn}`);
  return new Date(end - DEMO_SPAN_DAYS * DAY_MS).toISOString();
}

/** The demo's steps, day 0 at `firstDay` (an ISO date-time: every step's time follows from it). */
export function demoPortfolio(firstDay: string): SeedStep[] {
  const start = Date.parse(firstDay);
  if (Number.isNaN(start)) throw new RangeError(`not a date-time: ${firstDay}`);
  return script(start).steps;
}
