import { QueryBus } from '@nestjs/cqrs';
import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { OrganizationDoc } from '@ppl/projections';
import { OrganizationPartnershipsQuery } from './queries/organizations.queries';

type Maybe<T> = T | null | undefined;

/** `Organization.partnerships`: a page of its memberships, read only when asked for. */
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
    return this.queries.execute(new OrganizationPartnershipsQuery(organization.id, active, { first, after, last, before }));
  }
}
