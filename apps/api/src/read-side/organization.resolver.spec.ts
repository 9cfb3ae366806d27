import type { QueryBus } from '@nestjs/cqrs';
import type { GraphQLResolveInfo } from 'graphql';
import { ORGANIZATIONS, ORGANIZATION_MEMBERSHIPS, organizationsProjection, type OrganizationDoc, type OrganizationPartnership } from '@ppl/projections';
import { EmbeddedReadModelStore, put, type ReadModelStore } from '@ppl/read-model';
import type { Connection } from './connection';
import { OrganizationPartnershipResolver, OrganizationResolver } from './organization.resolver';
import { OrganizationHandler, OrganizationPartnershipsHandler, OrganizationPartnershipsQuery, OrganizationQuery, OrganizationsHandler, OrganizationsQuery } from './queries/organizations.queries';
import { PartnershipQuery } from './queries/portfolio.queries';
import type { ReadYourWrites } from './read-your-writes';

/**
 * Read your writes through nested fields: `organization(id, position: P) { partnerships { nodes {
 * partnership { phase } } } }` reads two projections; the partnership's row must wait for the
 * portfolio projection to reach P as the root field waited for the organisations projection.
 */
describe('an organisation’s partnerships under read your writes', () => {
  let store: ReadModelStore;
  const waited: { position: number | null | undefined; projections: readonly string[] }[] = [];
  const ryw = { reach: async (position: number | null | undefined, projections: readonly string[]) => void waited.push({ position, projections }) } as unknown as ReadYourWrites;
  const partnershipQueries: PartnershipQuery[] = [];
  let bus: QueryBus;
  const info = { path: { key: 'organization', prev: undefined } } as unknown as GraphQLResolveInfo;

  beforeEach(async () => {
    waited.splice(0);
    partnershipQueries.splice(0);
    store = EmbeddedReadModelStore.open({ filename: ':memory:', projections: [organizationsProjection] });
    await store.commit(
      'organizations',
      [
        put(ORGANIZATIONS, 'org-a', { id: 'org-a', name: 'A', kind: 'MUNICIPALITY', isHome: true, registered: true }),
        put(ORGANIZATION_MEMBERSHIPS, 'org-a:p-1', { id: 'org-a:p-1', organisationId: 'org-a', partnershipId: 'p-1', active: true, since: '2026-01-01T00:00:00.000Z' }),
      ],
      7,
    );
    const organization = new OrganizationHandler(store, ryw);
    const organizations = new OrganizationsHandler(store, ryw);
    const memberships = new OrganizationPartnershipsHandler(store);
    bus = {
      execute: async (query: unknown) => {
        if (query instanceof OrganizationQuery) return organization.execute(query);
        if (query instanceof OrganizationsQuery) return organizations.execute(query);
        if (query instanceof OrganizationPartnershipsQuery) return memberships.execute(query);
        if (query instanceof PartnershipQuery) {
          partnershipQueries.push(query);
          return null;
        }
        throw new Error(`unexpected query ${String(query)}`);
      },
    } as unknown as QueryBus;
  });

  afterEach(() => store.close());

  async function partnershipsOf(doc: OrganizationDoc): Promise<void> {
    const page = (await new OrganizationResolver(bus).partnerships(doc, undefined, undefined, undefined, undefined, undefined)) as Connection<OrganizationPartnership>;
    expect(page.nodes.map((m) => m.partnershipId)).toEqual(['p-1']);
    for (const membership of page.nodes) await new OrganizationPartnershipResolver(bus).partnership(membership, {}, info);
  }

  it('organization(id, position) passes the position on to each membership’s partnership', async () => {
    const doc = (await bus.execute(new OrganizationQuery('org-a', 42))) as OrganizationDoc;
    expect(waited).toEqual([{ position: 42, projections: ['organizations'] }]);
    await partnershipsOf(doc);
    expect(partnershipQueries).toEqual([new PartnershipQuery('p-1', 42)]);
  });

  it('organizations(position) does the same for every organisation of the page', async () => {
    const page = (await bus.execute(new OrganizationsQuery({}, {}, 43))) as Connection<OrganizationDoc>;
    await partnershipsOf(page.nodes[0]);
    expect(partnershipQueries).toEqual([new PartnershipQuery('p-1', 43)]);
  });

  it('without a position, nothing waits', async () => {
    const doc = (await bus.execute(new OrganizationQuery('org-a', undefined))) as OrganizationDoc;
    await partnershipsOf(doc);
    expect(partnershipQueries).toEqual([new PartnershipQuery('p-1', undefined)]);
  });

  it('one request’s position does not stick to the store’s document for the next request', async () => {
    await partnershipsOf((await bus.execute(new OrganizationQuery('org-a', 42))) as OrganizationDoc);
    await partnershipsOf((await bus.execute(new OrganizationQuery('org-a', undefined))) as OrganizationDoc);
    expect(partnershipQueries.map((q) => q.position)).toEqual([42, undefined]);
  });
});
