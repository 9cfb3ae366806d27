import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Info, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { OrganizationDoc, OrganizationPartnership, PartnershipView } from '@ppl/projections';
import { OrganizationPartnershipsQuery } from './queries/organizations.queries';
import { PartnershipQuery } from './queries/portfolio.queries';
import { carriedPosition } from './read-your-writes';
import { viewStableUntil } from './response-validity';

type Maybe<T> = T | null | undefined;

/**
 * `Organization.partnerships`: a page of its memberships, read only when asked for. The position
 * the root field waited for (read your writes) goes on to each membership's `partnership`.
 */
@Resolver('Organization')
export class OrganizationResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('partnerships')
  partnerships(
    @Parent() organization: OrganizationDoc,
    @Args('active') active: Maybe<boolean>,
    @Args('first') first: Maybe<number>,
    @Args('after') after: Maybe<string>,
    @Args('last') last: Maybe<number>,
    @Args('before') before: Maybe<string>,
  ): Promise<unknown> {
    return this.queries.execute(new OrganizationPartnershipsQuery(organization.id, active, { first, after, last, before }, carriedPosition(organization)));
  }
}

/** The request's response-cache scope, when the cache is on (see graphql/response-cache.ts). */
interface CacheScoped {
  responseCache?: { cover(rootKey: string, until: number): void };
}

/**
 * `OrganizationPartnership.partnership`: the partnership as `partnership(id)` answers it, only
 * when asked for. Its days in phase, time-driven signals and overdue escalations move with the
 * clock: it reports until when it holds under its root field, so a cached `organization(s)`
 * answer lives no longer than its partnerships' views (the root fields alone hold indefinitely).
 * With the root field's position (read your writes), it waits for the portfolio projection too.
 */
@Resolver('OrganizationPartnership')
export class OrganizationPartnershipResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('partnership')
  async partnership(@Parent() membership: OrganizationPartnership, @Context() context: CacheScoped, @Info() info: GraphQLResolveInfo): Promise<PartnershipView | null> {
    const from = Date.now();
    const view = await this.queries.execute<PartnershipQuery, PartnershipView | null>(new PartnershipQuery(membership.partnershipId, carriedPosition(membership)));
    let root = info.path;
    while (root.prev) root = root.prev;
    context?.responseCache?.cover(String(root.key), view ? viewStableUntil(view, from) : Number.POSITIVE_INFINITY);
    return view;
  }
}
