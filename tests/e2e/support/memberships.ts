import type { GraphQLClient } from './graphql-client';

export interface Membership {
  partnershipId: string;
  active: boolean;
  since: string;
  until: string | null;
}

const PAGE = `query($id: ID!, $after: String, $p: SafeInt) {
  organization(id: $id, position: $p) { partnerships(first: 500, after: $after) { nodes { partnershipId active since until } pageInfo { hasNextPage endCursor } } }
}`;

/**
 * Every membership of each organisation as of position `p`, read page by page. A nested list is
 * paged on its own: the query cost limit counts `first` of a list inside a list as their product.
 */
export async function membershipsOf(client: GraphQLClient, organisationIds: readonly string[], p: number | undefined): Promise<Record<string, Membership[]>> {
  const all: Record<string, Membership[]> = {};
  for (const id of organisationIds) {
    const memberships: Membership[] = [];
    for (let after: string | null = null; ; ) {
      const data: { organization: { partnerships: { nodes: Membership[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } =
        await client.data(PAGE, { id, after, p });
      if (data.organization === null) break;
      memberships.push(...data.organization.partnerships.nodes);
      if (!data.organization.partnerships.pageInfo.hasNextPage) break;
      after = data.organization.partnerships.pageInfo.endCursor;
    }
    all[id] = memberships;
  }
  return all;
}

/** The answer to `query` (which lists `organizations { nodes { id } }`) at `p`, with every organisation's memberships beside it. */
export async function withMemberships(client: GraphQLClient, query: string, p: number | undefined): Promise<Record<string, unknown>> {
  const data = await client.data<{ organizations: { nodes: { id: string }[] } }>(query, { p });
  return { ...data, memberships: await membershipsOf(client, data.organizations.nodes.map((o) => o.id), p) };
}
