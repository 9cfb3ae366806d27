import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLClient } from './support/graphql-client';
import { Ledger, proposal } from './support/ledger';
import { type RunningService, startService, tempDataDir } from './support/service';
import { withMemberships } from './support/memberships';

/**
 * The board's questions answered by queries on the running service, after a portfolio was
 * recorded through mutations: where each partnership is, which are at risk and why, what waits
 * for a decision, what was decided. Every query passes the position the last mutation returned
 * (read your writes). Then: a service killed during a burst of commands restarts to a read
 * model equal to one built from scratch from the same events.
 */
const DAY = 86_400_000;
/** Business times relative to today, so deadlines are (or are not yet) past at query time. */
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

const PORTFOLIO = `query($filter: PortfolioFilter, $orderBy: [PortfolioOrder!], $first: Int, $after: String, $position: SafeInt) {
  portfolio(filter: $filter, orderBy: $orderBy, first: $first, after: $after, position: $position) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id name phase themeName origin owningDepartmentId partyOrganisationIds daysInPhase healthMin
      openEscalationCount overdueEscalationCount openEscalations { body level overdue } signals { code } lastDecision { outcome } revision position }
  }
}`;

interface Row {
  id: string;
  name: string;
  openEscalations: { body: string; level: string; overdue: boolean }[];
  signals: { code: string }[];
  [key: string]: unknown;
}
interface PortfolioPage {
  portfolio: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Row[];
  };
}

describe('the board’s queries on the read side', () => {
  let service: RunningService;
  let client: GraphQLClient;
  let ledger: Ledger;
  let position = 0;
  const ids: Record<string, string> = {};

  const run = async (
    mutation: string,
    input: Record<string, unknown>,
    businessTime = daysAgo(1),
    headers?: Record<string, string>,
  ) => {
    const result = await ledger.run(mutation, input, { businessTime, headers });
    position = result.position;
    return result;
  };
  const portfolio = async (variables: Record<string, unknown> = {}) =>
    (await client.data<PortfolioPage>(PORTFOLIO, { position, ...variables })).portfolio;
  const names = async (filter: Record<string, unknown>) =>
    (await portfolio({ filter })).nodes.map((n) => n.name);

  beforeAll(async () => {
    service = await startService({ env: { READ_YOUR_WRITES_TIMEOUT_MS: '2000' } });
    // The board reads; the managing delegate records; the board sets the strategy.
    client = await service.client('BOARD', 'board-chair');
    ledger = new Ledger(await service.client('MANAGER', 'manager-anna'));
    const board = { authorization: `Bearer ${await service.token('BOARD', 'board-chair')}` };

    const home = await run('registerOrganization', {
      name: 'Gemeente Lochristi',
      kind: 'LOCAL_GOVERNMENT',
      isHome: true,
      departments: [{ name: 'Sociale dienst' }, { name: 'Economie' }],
    });
    ids.home = home.mintedIds.organisationId;
    ids.social = home.mintedIds['departments.0.departmentId'];
    ids.economy = home.mintedIds['departments.1.departmentId'];
    await run('registerOrganization', {
      organisationId: 'org-ocmw',
      name: 'OCMW Lochristi',
      kind: 'PUBLIC_SOCIAL_WELFARE_CENTRE',
      isHome: false,
      departments: [],
    });
    await run('registerOrganization', {
      organisationId: 'org-vdab',
      name: 'VDAB',
      kind: 'PUBLIC_EMPLOYMENT_SERVICE',
      isHome: false,
      departments: [],
    });
    await run('defineStrategy', {
      themes: [
        { themeId: 'work', name: 'Work and activation', criteria: ['knows the labour market'] },
        { themeId: 'care', name: 'Care', criteria: ['close to citizens'] },
      ],
      nonNegotiableValues: ['client first'],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
    }, daysAgo(1), board);
    await run('assessCapability', {
      conditions: {
        STRATEGY_TRANSLATION: { maturity: 3 },
        CULTURE_LEADERSHIP_STEERING: { maturity: 2 },
        INTERNAL_ORGANISATION: { maturity: 2 },
        SYSTEMS_TOOLS_SKILLS: { maturity: 1 },
      },
    }, daysAgo(1), board);
    const propose = (
      partnershipId: string,
      name: string,
      themeId: string,
      department: string,
      origin: Record<string, unknown>,
      at: string,
    ) =>
      run(
        'proposePartnership',
        proposal({
          partnershipId,
          name,
          themeId,
          owningDepartmentId: department,
          description: `${name}: working together`,
          origin,
          leadParty: { organisationId: ids.home, delegate: { personId: 'anna', name: 'Anna' } },
        }),
        at,
      );
    await propose(
      'p-activation',
      'Activation network',
      'work',
      ids.social,
      { kind: 'CHOSEN' },
      daysAgo(70),
    );
    await run(
      'admitParty',
      {
        partnershipId: 'p-activation',
        organisationId: 'org-ocmw',
        delegate: { personId: 'olivia', name: 'Olivia' },
      },
      daysAgo(69),
    );
    await run(
      'admitParty',
      {
        partnershipId: 'p-activation',
        organisationId: 'org-vdab',
        delegate: { personId: 'victor', name: 'Victor' },
      },
      daysAgo(69),
    );
    await propose(
      'p-care',
      'Care zone',
      'care',
      ids.economy,
      { kind: 'IMPOSED', imposedBy: 'first-line zone' },
      daysAgo(10),
    );
    await run(
      'admitParty',
      {
        partnershipId: 'p-care',
        organisationId: 'org-ocmw',
        delegate: { personId: 'otto', name: 'Otto' },
      },
      daysAgo(9),
    );
    await propose('p-youth', 'Youth learning', 'work', ids.social, { kind: 'CHOSEN' }, daysAgo(5));
    // A board approval requested 60 days ago for a form above the strategy's highest (COVENANT):
    // MANDATORY, due after 30 days, so overdue today.
    await run(
      'requestApproval',
      {
        partnershipId: 'p-activation',
        body: 'BOARD',
        trigger: 'LEGAL_FORM_CHANGED',
        subject: 'a contract',
        change: { legalForm: 'CONTRACT' },
      },
      daysAgo(60),
    );
    const request = await run(
      'requestApproval',
      { partnershipId: 'p-care', body: 'EXECUTIVE', trigger: 'PHASE_ENTERED', subject: 'sharing', change: { phase: 'SHARE' } },
      daysAgo(3),
    );
    const decision = await run(
      'recordDecision',
      {
        partnershipId: 'p-care',
        body: 'EXECUTIVE',
        requestId: request.mintedIds.requestId,
        outcome: 'APPROVED',
        rationale: 'go',
      },
      daysAgo(2),
      { authorization: `Bearer ${await service.token('EXECUTIVE', 'exec-chair')}` },
    );
    ids.decisionPosition = String(decision.position);
    const scores = (s: number) =>
      Object.fromEntries(
        ['AMBITION', 'INTERESTS', 'RELATION', 'ORGANISATION', 'PROCESS'].map((p) => [
          p,
          { score: s },
        ]),
      );
    await run(
      'recordAssessment',
      { partnershipId: 'p-activation', by: ids.home, scores: scores(4) },
      daysAgo(1),
    );
    await run(
      'recordAssessment',
      { partnershipId: 'p-activation', by: 'org-ocmw', scores: scores(2) },
      daysAgo(1),
    );
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('portfolio: every partnership by name, with what the commands imply', async () => {
    const page = await portfolio();
    expect(page.totalCount).toBe(3);
    expect(page.nodes.map((n) => n.name)).toEqual([
      'Activation network',
      'Care zone',
      'Youth learning',
    ]);
    const [activation, care] = page.nodes;
    expect(activation).toMatchObject({
      phase: 'EXPLORE',
      themeName: 'Work and activation',
      partyOrganisationIds: [ids.home, 'org-ocmw', 'org-vdab'],
      healthMin: 3,
      openEscalationCount: 1,
      overdueEscalationCount: 1,
    });
    expect(activation.daysInPhase).toBeGreaterThanOrEqual(69);
    expect(activation.openEscalations).toEqual([
      { body: 'BOARD', level: 'MANDATORY', overdue: true },
    ]);
    expect(activation.signals.map((s) => s.code)).toContain('DIVERGENT_VIEWS');
    expect(care).toMatchObject({
      origin: 'IMPOSED',
      openEscalationCount: 0,
      lastDecision: { outcome: 'APPROVED' },
    });
  });

  it('portfolio filters: partner organisation across departments, department, origin, escalations, signal, health, name', async () => {
    expect(await names({ partnerOrganizationId: 'org-ocmw' })).toEqual([
      'Activation network',
      'Care zone',
    ]);
    expect(await names({ departmentId: ids.economy })).toEqual(['Care zone']);
    expect(await names({ origin: 'IMPOSED' })).toEqual(['Care zone']);
    expect(await names({ themeId: ['work'] })).toEqual(['Activation network', 'Youth learning']);
    expect(await names({ hasOpenEscalations: true })).toEqual(['Activation network']);
    expect(await names({ hasOverdueEscalations: true })).toEqual(['Activation network']);
    expect(await names({ hasOverdueEscalations: false })).toEqual(['Care zone', 'Youth learning']);
    expect(await names({ signal: 'DIVERGENT_VIEWS' })).toEqual(['Activation network']);
    expect(await names({ healthBelow: 3.5 })).toEqual(['Activation network']);
    expect(await names({ search: 'CARE' })).toEqual(['Care zone']);
    expect(await names({ phase: ['SHARE'] })).toEqual([]);
  });

  it('portfolio order and pages: totalCount ignores paging, the cursor continues the same order', async () => {
    const order = [{ field: 'PHASE_SINCE', direction: 'DESC' }];
    const first = await portfolio({ orderBy: order, first: 2 });
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    expect(first.nodes.map((n) => n.id)).toEqual(['p-youth', 'p-care']);
    const second = await portfolio({ orderBy: order, first: 2, after: first.pageInfo.endCursor });
    expect(second.nodes.map((n) => n.id)).toEqual(['p-activation']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const bad = await client.request(PORTFOLIO, { first: 501 });
    expect(bad.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    const badCursor = await client.request(PORTFOLIO, { after: 'not-a-cursor' });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    // The signal is a SignalCode: an unknown one is refused before anything is read.
    const badSignal = await client.request(PORTFOLIO, { filter: { signal: 'NOPE' } });
    expect(badSignal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(badSignal.errors?.[0]?.message).toContain('"SignalCode"');
  });

  it('every list is a Relay connection: each edge carries the cursor that continues right after (or before) its node, forward and backward', async () => {
    interface Edges {
      l: {
        totalCount: number;
        edges: { cursor: string; node: { key: string | number } }[];
        nodes: { key: string | number }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
      };
    }
    /** [the list, the node's key, the field it is nested in (none: a query field)]. */
    const lists: [string, string, string?][] = [
      ['portfolio(orderBy: [{ field: NAME }], first: $first, after: $after, last: $last, before: $before, position: $p)', 'key: id'],
      ['escalations(first: $first, after: $after, last: $last, before: $before, position: $p)', 'key: id'],
      ['decisions(first: $first, after: $after, last: $last, before: $before, position: $p)', 'key: id'],
      ['organizations(first: $first, after: $after, last: $last, before: $before, position: $p)', 'key: id'],
      ['auditTrail(first: $first, after: $after, last: $last, before: $before, position: $p)', 'key: position'],
      ['partnershipHistory(id: "p-care", first: $first, after: $after, last: $last, before: $before)', 'key: revision'],
      ['partnerships(first: $first, after: $after, last: $last, before: $before)', 'key: partnershipId', `organization(id: "${ids.home}", position: $p)`],
    ];
    for (const [list, key, outer] of lists) {
      const selection = `l: ${list} { totalCount edges { cursor node { ${key} } } nodes { ${key} } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }`;
      const withP = `${list}${outer ?? ''}`.includes('$p');
      const query = `query($first: Int, $after: String, $last: Int, $before: String${withP ? ', $p: SafeInt' : ''}) {
        ${outer ? `o: ${outer} { ${selection} }` : selection} }`;
      const at = withP ? { p: position } : {};
      const pick = (data: Edges & { o?: Edges }): Edges['l'] => (outer ? (data.o as Edges).l : data.l);
      const page = async (first: number, after: string | null) => pick(await client.data<Edges & { o?: Edges }>(query, { first, after, ...at }));
      const pageBack = async (last: number, before: string | null) => pick(await client.data<Edges & { o?: Edges }>(query, { last, before, ...at }));
      /** Every node, one page of one at a time: forward by endCursor, or backward by startCursor from the end. */
      const walkOneByOne = async (backward: boolean): Promise<unknown[]> => {
        const walked: unknown[] = [];
        let cursor: string | null = null;
        for (let guard = 0; guard <= all.totalCount; guard++) {
          const one: Edges['l'] = backward ? await pageBack(1, cursor) : await page(1, cursor);
          if (backward) walked.unshift(...one.nodes);
          else walked.push(...one.nodes);
          if (!(backward ? one.pageInfo.hasPreviousPage : one.pageInfo.hasNextPage)) break;
          cursor = backward ? one.pageInfo.startCursor : one.pageInfo.endCursor;
        }
        return walked;
      };
      const all = await page(500, null);
      expect([list, all.totalCount > 0]).toEqual([list, true]);
      expect(all.edges.map((e) => e.node)).toEqual(all.nodes);
      expect(all.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: all.edges[0].cursor,
        endCursor: all.edges.at(-1)?.cursor,
      });
      // After the first edge's cursor: the rest, in the same order, with something before it.
      const rest = await page(500, all.edges[0].cursor);
      expect(rest.nodes).toEqual(all.nodes.slice(1));
      expect(rest.pageInfo.hasPreviousPage).toBe(true);
      // Paging one node at a time by endCursor gives every node once.
      expect(await walkOneByOne(false)).toEqual(all.nodes);
      // Backward: the last nodes, in the list's order; before the last edge's cursor, the others.
      const end = await pageBack(500, null);
      expect(end.nodes).toEqual(all.nodes);
      expect(end.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
      const lastCursor = all.edges.at(-1)?.cursor ?? null;
      const earlier = await pageBack(500, lastCursor);
      expect(earlier.nodes).toEqual(all.nodes.slice(0, -1));
      expect(earlier.pageInfo.hasNextPage).toBe(true);
      // One node at a time by startCursor, from the end back to the start.
      expect(await walkOneByOne(true)).toEqual(all.nodes);
      // Forward and backward arguments do not mix.
      const mixed = await client.request(query, { first: 1, last: 1, ...at });
      expect([list, mixed.errors?.[0]?.extensions?.code]).toEqual([list, 'VALIDATION_FAILED']);
      const badBefore = await client.request(query, { last: 1, before: 'not-a-cursor', ...at });
      expect([list, badBefore.errors?.[0]?.extensions?.code]).toEqual([list, 'VALIDATION_FAILED']);
    }
  });

  it('portfolioSummary, escalations, decisions: what waits for whom, what was decided', async () => {
    const { portfolioSummary: s } = await client.data<{
      portfolioSummary: Record<string, unknown>;
    }>(
      `query($p: SafeInt) { portfolioSummary(position: $p) { partnerships byPhase { key count } byTheme { key count } byOrigin { key count } bySignal { key count }
        escalationsByBody { body open overdue } averageHealth { perspective average partnerships } capability { conditions { condition maturity } } } }`,
      { p: position },
    );
    expect(s).toMatchObject({
      partnerships: 3,
      byPhase: [{ key: 'EXPLORE', count: 3 }],
      byTheme: [
        { key: 'care', count: 1 },
        { key: 'work', count: 2 },
      ],
      byOrigin: [
        { key: 'CHOSEN', count: 2 },
        { key: 'IMPOSED', count: 1 },
      ],
      bySignal: [{ key: 'DIVERGENT_VIEWS', count: 1 }],
    });
    expect(s.escalationsByBody).toContainEqual({ body: 'BOARD', open: 1, overdue: 1 });
    expect(s.escalationsByBody).toContainEqual({ body: 'EXECUTIVE', open: 0, overdue: 0 });
    expect(s.averageHealth).toContainEqual({
      perspective: 'RELATION',
      average: 3,
      partnerships: 1,
    });
    expect((s.capability as { conditions: unknown[] }).conditions).toHaveLength(4);

    const registers = await client.data<{
      overdue: { totalCount: number; nodes: Record<string, unknown>[] };
      decided: { nodes: Record<string, unknown>[] };
      decisions: { totalCount: number; nodes: Record<string, unknown>[] };
    }>(
      `query($p: SafeInt) {
        overdue: escalations(overdue: true, position: $p) { totalCount nodes { partnershipId partnershipName body level status overdue } }
        decided: escalations(status: DECIDED, position: $p) { nodes { partnershipId body resolvedPosition decisionId } }
        decisions(partnershipId: "p-care", position: $p) { totalCount nodes { body outcome decidedBy position partnershipName } }
      }`,
      { p: position },
    );
    expect(registers.overdue).toEqual({
      totalCount: 1,
      nodes: [
        {
          partnershipId: 'p-activation',
          partnershipName: 'Activation network',
          body: 'BOARD',
          level: 'MANDATORY',
          status: 'OPEN',
          overdue: true,
        },
      ],
    });
    expect(registers.decided.nodes).toEqual([
      expect.objectContaining({
        partnershipId: 'p-care',
        body: 'EXECUTIVE',
        resolvedPosition: Number(ids.decisionPosition),
      }),
    ]);
    expect(registers.decisions).toEqual({
      totalCount: 1,
      nodes: [
        {
          body: 'EXECUTIVE',
          outcome: 'APPROVED',
          decidedBy: 'exec-chair',
          position: Number(ids.decisionPosition),
          partnershipName: 'Care zone',
        },
      ],
    });
  });

  it('organizations, strategy, auditTrail and partnershipHistory', async () => {
    const data = await client.data<{
      organization: {
        name: string;
        partnerships: { totalCount: number; nodes: { partnershipId: string; owningDepartmentId: string; active: boolean }[] };
      };
      organizations: { totalCount: number; nodes: { id: string }[] };
      strategy: { themes: { themeId: string }[]; thresholds: Record<string, number> };
      trail: { totalCount: number; nodes: { type: string; actorId: string; revision: number; event: { type: string; revision: number; data: Record<string, unknown> } }[] };
      history: {
        totalCount: number;
        nodes: { revision: number; type: string }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(
      `query($p: SafeInt) {
        organization(id: "org-ocmw", position: $p) { name partnerships { totalCount nodes { partnershipId owningDepartmentId active } } }
        organizations(position: $p) { totalCount nodes { id } }
        strategy(position: $p) { themes { themeId } thresholds { stagnationDays noDoingDays divergenceSpread decliningDrop evaluationMonths imbalanceMoneyShare healthBelow } }
        trail: auditTrail(filter: { streamId: "partnership-p-care" }, position: $p) { totalCount nodes { type actorId revision event { type revision data } } }
        history: partnershipHistory(id: "p-care", first: 2) { totalCount nodes { revision type } pageInfo { hasNextPage endCursor } }
      }`,
      { p: position },
    );
    expect(data.organization).toEqual({
      name: 'OCMW Lochristi',
      partnerships: {
        totalCount: 2,
        nodes: [
          { partnershipId: 'p-activation', owningDepartmentId: ids.social, active: true },
          { partnershipId: 'p-care', owningDepartmentId: ids.economy, active: true },
        ],
      },
    });
    expect(data.organizations.totalCount).toBe(3);
    expect(data.strategy.themes.map((t) => t.themeId)).toEqual(['work', 'care']);
    // PRODUCT.md's defaults, typed: the strategy set none of its own.
    expect(data.strategy.thresholds).toEqual({ stagnationDays: 90, noDoingDays: 90, divergenceSpread: 2, decliningDrop: 1, evaluationMonths: 12, imbalanceMoneyShare: 0.7, healthBelow: 2.5 });
    const careTypes = [
      'PartnershipProposed',
      'PartyAdmitted',
      'ApprovalRequested',
      'EscalationRaised',
      'DecisionRecorded',
    ];
    expect(data.trail.nodes.map((n) => n.type)).toEqual(careTypes);
    expect(data.trail.nodes.at(-1)?.actorId).toBe('exec-chair');
    // Each entry carries its event, read from the store: what was asked, and decided.
    expect(data.trail.nodes.map((n) => [n.event.type, n.event.revision])).toEqual(data.trail.nodes.map((n) => [n.type, n.revision]));
    expect(data.trail.nodes[2]?.event.data).toMatchObject({ body: 'EXECUTIVE', trigger: 'PHASE_ENTERED', subject: 'sharing', change: { phase: 'SHARE' } });
    expect(data.trail.nodes[4]?.event.data).toMatchObject({ body: 'EXECUTIVE', decidedBy: 'exec-chair' });
    expect(data.history).toMatchObject({
      totalCount: 5,
      nodes: [
        { revision: 0, type: 'PartnershipProposed' },
        { revision: 1, type: 'PartyAdmitted' },
      ],
      pageInfo: { hasNextPage: true },
    });
    const rest = await client.data<{
      h: { nodes: { type: string }[]; pageInfo: { hasNextPage: boolean } };
    }>(
      `query($a: String) { h: partnershipHistory(id: "p-care", after: $a) { nodes { type } pageInfo { hasNextPage } } }`,
      { a: data.history.pageInfo.endCursor },
    );
    expect(rest.h.nodes.map((n) => n.type)).toEqual(careTypes.slice(2));
    const trail = await client.data<{ t: { totalCount: number } }>(
      `query($p: SafeInt) { t: auditTrail(filter: { types: ["PartyAdmitted"] }, position: $p) { totalCount } }`,
      { p: position },
    );
    expect(trail.t.totalCount).toBe(3);
    const missing = await client.request(`{ partnershipHistory(id: "nope") { totalCount } }`);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('read your writes: a query with the position a mutation returned sees it; an unreachable position is PROJECTION_LAGGING', async () => {
    const admitted = await ledger.run(
      'admitParty',
      {
        partnershipId: 'p-youth',
        organisationId: 'org-vdab',
        delegate: { personId: 'vera', name: 'Vera' },
      },
      { businessTime: daysAgo(0) },
    );
    const viaArgument = await client.data<PortfolioPage>(PORTFOLIO, {
      position: admitted.position,
      filter: { partnerOrganizationId: 'org-vdab' },
    });
    expect(viaArgument.portfolio.nodes.map((n) => n.id)).toEqual(['p-activation', 'p-youth']);
    const viaHeader = await client.request<{ partnership: { revision: number; position: number } }>(
      `{ partnership(id: "p-youth") { revision position } }`,
      undefined,
      { 'x-min-position': String(admitted.position) },
    );
    expect(viaHeader.data?.partnership).toEqual({ revision: 1, position: admitted.position });
    const lagging = await client.request(PORTFOLIO, { position: admitted.position + 1000 });
    expect(lagging.errors?.[0]?.extensions?.code).toBe('PROJECTION_LAGGING');
    position = admitted.position;
  });

  it('an organisation\'s partnerships: a page at a time, oldest membership first, current or past ones', async () => {
    const MEMBERSHIPS = `query($id: ID!, $active: Boolean, $first: Int, $after: String, $p: SafeInt) {
      organization(id: $id, position: $p) { partnerships(active: $active, first: $first, after: $after) {
        totalCount nodes { partnershipId active since until } pageInfo { hasNextPage endCursor } } } }`;
    interface Memberships {
      organization: {
        partnerships: {
          totalCount: number;
          nodes: { partnershipId: string; active: boolean; since: string; until: string | null }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      };
    }
    const memberships = async (id: string, variables: Record<string, unknown> = {}) =>
      (await client.data<Memberships>(MEMBERSHIPS, { id, p: position, ...variables })).organization.partnerships;
    // The home organisation leads all three: a page of two, then one, in the order it joined them.
    const first = await memberships(ids.home, { first: 2 });
    expect([first.totalCount, first.nodes.length, first.pageInfo.hasNextPage]).toEqual([3, 2, true]);
    const second = await memberships(ids.home, { first: 2, after: first.pageInfo.endCursor });
    expect([second.nodes.length, second.pageInfo.hasNextPage]).toEqual([1, false]);
    const home = [...first.nodes, ...second.nodes];
    expect(home.map((m) => m.partnershipId).sort()).toEqual(['p-activation', 'p-care', 'p-youth']);
    expect(home.map((m) => m.since)).toEqual(home.map((m) => m.since).sort());

    // OCMW leaves the care partnership: that membership is past (with its end), the other current.
    const withdrawn = await run('withdrawParty', { partnershipId: 'p-care', organisationId: 'org-ocmw', reason: 'no capacity' }, daysAgo(0));
    expect(withdrawn.position).toBeGreaterThan(0);
    const all = await memberships('org-ocmw');
    expect(all.totalCount).toBe(2);
    expect(all.nodes.map((m) => [m.partnershipId, m.active, m.until !== null])).toEqual([
      ['p-activation', true, false],
      ['p-care', false, true],
    ]);
    expect((await memberships('org-ocmw', { active: true })).nodes.map((m) => m.partnershipId)).toEqual(['p-activation']);
    // Each membership leads to the partnership itself, as partnership(id) answers it.
    const linked = await client.data<{ organization: { partnerships: { nodes: { partnershipId: string; partnership: { id: string; name: string; phase: string } | null }[] } } }>(
      `query($p: SafeInt) { organization(id: "org-ocmw", position: $p) { partnerships { nodes { partnershipId partnership { id name phase } } } } }`,
      { p: position },
    );
    const single = await client.data<{ partnership: { id: string; name: string; phase: string } }>(`{ partnership(id: "p-activation") { id name phase } }`);
    expect(linked.organization.partnerships.nodes.map((n) => n.partnership)).toEqual([single.partnership, expect.objectContaining({ id: 'p-care', name: 'Care zone' })]);
    const past = await memberships('org-ocmw', { active: false });
    expect([past.totalCount, past.nodes.map((m) => m.partnershipId)]).toEqual([1, ['p-care']]);
    // Nobody takes part in an ended partnership any more: its memberships close at its end.
    await run('endPartnership', { partnershipId: 'p-youth', reason: 'merged into the activation network' }, daysAgo(0));
    const current = await memberships(ids.home, { active: true });
    expect(current.nodes.map((m) => m.partnershipId).sort()).toEqual(['p-activation', 'p-care']);
    const ended = await memberships(ids.home, { active: false });
    expect(ended.nodes.map((m) => [m.partnershipId, m.until !== null])).toEqual([['p-youth', true]]);
    // A page size beyond the limit is refused, as on every list.
    const tooMany = await client.request(MEMBERSHIPS, { id: 'org-ocmw', first: 501, p: position });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });
});

describe('a service killed during a burst of commands', () => {
  const QUERY = `query($p: SafeInt) {
    portfolio(first: 500, filter: { includeEnded: true }, position: $p) { totalCount nodes { id name phase partyOrganisationIds revision position openEscalationCount signals { code } } }
    portfolioSummary(position: $p) { partnerships byPhase { key count } escalationsByBody { body open } }
    escalations(first: 500, position: $p) { totalCount nodes { id status raisedPosition } }
    organizations(first: 500, position: $p) { totalCount nodes { id } }
    auditTrail(first: 500, position: $p) { totalCount nodes { position type streamId } }
  }`;

  it('restarts to a read model equal to one rebuilt from the same events', async () => {
    const dataDir = tempDataDir();
    let service = await startService({ dataDir });
    const ledger = new Ledger(await service.client('MANAGER', 'burst'));
    const board = { authorization: `Bearer ${await service.token('BOARD', 'board-chair')}` };
    await ledger.run('registerOrganization', {
      organisationId: 'org-home',
      name: 'Home',
      kind: 'LOCAL_GOVERNMENT',
      isHome: true,
      departments: [{ departmentId: 'dep', name: 'Dep' }],
    });
    await ledger.run('defineStrategy', {
      themes: [{ themeId: 'work', name: 'Work', criteria: [] }],
      nonNegotiableValues: [],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
    }, { headers: board });
    let stop = false;
    let acknowledged = 0;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const id = `p-${w}-${i}`;
        try {
          await ledger.attempt('proposePartnership', proposal({
            partnershipId: id,
            name: `Burst ${w}/${i}`,
            themeId: 'work',
            owningDepartmentId: 'dep',
            description: 'burst',
            quadrant: { relation: 'COOPERATIVE', resources: 'SIMILAR' },
            leadParty: { organisationId: 'org-home', delegate: { personId: 'a', name: 'A' } },
          }));
          await ledger.attempt('admitParty', {
            partnershipId: id,
            organisationId: `org-partner-${i % 3}`,
            delegate: { personId: 'b', name: 'B' },
          });
          await ledger.attempt('requestApproval', {
            partnershipId: id,
            body: 'STAFF',
            trigger: 'PARTY_ADMITTED',
            subject: 'tell staff',
            change: { organisationId: `org-partner-${i % 3}` },
          });
          acknowledged += 3;
        } catch {
          return; // the service is gone
        }
      }
    };
    let writing = 4;
    const writers = [0, 1, 2, 3].map((w) => writer(w).finally(() => (writing -= 1)));
    // Killed mid-burst once enough is acknowledged (a count, not a duration: loaded machines are slow).
    while (acknowledged < 30 && writing > 0) await new Promise((r) => setTimeout(r, 20));
    await service.kill();
    stop = true;
    await Promise.all(writers);

    service = await startService({ dataDir });
    const head = async (s: RunningService) =>
      (
        (await (await fetch(`${s.url}/health/ready`)).json()) as {
          info: { eventStore: { head: number } };
        }
      ).info.eventStore.head;
    const position = await head(service);
    expect(position).toBeGreaterThan(20);
    const restarted = await withMemberships(await service.client('AUDITOR'), QUERY, position);
    await service.stop();

    // The same events, no read model: everything is projected from scratch.
    const fresh = tempDataDir();
    for (const file of ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm']) {
      if (existsSync(join(dataDir, file))) copyFileSync(join(dataDir, file), join(fresh, file));
    }
    const rebuilt = await startService({ dataDir: fresh });
    expect(await head(rebuilt)).toBe(position);
    const fromScratch = await withMemberships(await rebuilt.client('AUDITOR'), QUERY, position);
    await rebuilt.stop();
    expect(restarted).toEqual(fromScratch);
    expect((restarted as { auditTrail: { totalCount: number } }).auditTrail.totalCount).toBe(
      position,
    );
  });
});
