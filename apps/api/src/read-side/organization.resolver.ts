import { QueryBus } from '@nestjs/cqrs';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { OrganizationDoc } from '@ppl/projections';
import { OrganizationPartnershipsQuery } from './queries/organizations.queries';

/** `Organization.partnerships`: read from the memberships, only when asked for. */
@Resolver('Organization')
export class OrganizationResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('partnerships')
  partnerships(@Parent() organization: OrganizationDoc): Promise<unknown> {
    return this.queries.execute(new OrganizationPartnershipsQuery(organization.id));
  }
}
