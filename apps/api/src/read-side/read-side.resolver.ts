import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { requestedPosition } from './read-your-writes';
import { PartnershipAsOfQuery } from '../audit/audit.queries';
import {
  AuditTrailQuery,
  PartnershipHistoryQuery,
  type AuditTrailFilterInput,
} from './queries/audit-trail.queries';
import {
  OrganizationQuery,
  OrganizationsQuery,
  type OrganizationFilterInput,
} from './queries/organizations.queries';
import {
  PartnershipQuery,
  PortfolioQuery,
  PortfolioSummaryQuery,
  type PortfolioFilterInput,
  type PortfolioOrderInput,
} from './queries/portfolio.queries';
import { DecisionsQuery, EscalationsQuery } from './queries/registers.queries';
import { CapabilityQuery, StrategyQuery } from './queries/strategy.queries';

type Req = unknown;
type Maybe<T> = T | null | undefined;

/** Translates GraphQL arguments into queries on the QueryBus; decides nothing. */
@Resolver('Query')
export class ReadSideResolver {
  constructor(private readonly queries: QueryBus) {}

  @Query('portfolio')
  portfolio(
    @Args('filter') filter: Maybe<PortfolioFilterInput>,
    @Args('orderBy') orderBy: Maybe<PortfolioOrderInput[]>,
    @Args('first') first: Maybe<number>,
    @Args('after') after: Maybe<string>,
    @Args('last') last: Maybe<number>,
    @Args('before') before: Maybe<string>,
    @Args('position') position: Maybe<number>,
    @Context('req') req: Req,
  ) {
    return this.queries.execute(
      new PortfolioQuery(
        filter ?? {},
        orderBy ?? [],
        { first, after, last, before },
        requestedPosition(position, req),
      ),
    );
  }

  @Query('portfolioSummary')
  portfolioSummary(@Args('position') position: Maybe<number>, @Context('req') req: Req) {
    return this.queries.execute(new PortfolioSummaryQuery(requestedPosition(position, req)));
  }

  @Query('partnership')
  partnership(
    @Args('id') id: string,
    @Args('asOf') asOf: Maybe<Date>,
    @Args('atRevision') atRevision: Maybe<number>,
    @Args('businessAsOf') businessAsOf: Maybe<Date>,
    @Args('position') position: Maybe<number>,
    @Context('req') req: Req,
  ) {
    if (asOf != null || atRevision != null || businessAsOf != null) {
      // Time travel folds the event store, never the projections (the audit side answers it).
      return this.queries.execute(
        new PartnershipAsOfQuery(id, {
          asOf: asOf ? new Date(asOf).toISOString() : undefined,
          atRevision: atRevision ?? undefined,
          businessAsOf: businessAsOf ? new Date(businessAsOf).toISOString() : undefined,
        }),
      );
    }
    return this.queries.execute(new PartnershipQuery(id, requestedPosition(position, req)));
  }

  @Query('escalations')
  escalations(
    @Args('status') status: Maybe<string>,
    @Args('body') body: Maybe<string>,
    @Args('level') level: Maybe<string>,
    @Args('overdue') overdue: Maybe<boolean>,
    @Args('partnershipId') partnershipId: Maybe<string>,
    @Args('first') first: Maybe<number>,
    @Args('after') after: Maybe<string>,
    @Args('last') last: Maybe<number>,
    @Args('before') before: Maybe<string>,
    @Args('position') position: Maybe<number>,
    @Context('req') req: Req,
  ) {
    return this.queries.execute(
      new EscalationsQuery(
        { status, body, level, overdue, partnershipId },
        { first, after, last, before },
        requestedPosition(position, req),
      ),
    );
  }

  @Query('decisions')
  decisions(
    @Args('partnershipId') partnershipId: Maybe<string>,
    @Args('body') body: Maybe<string>,
    @Args('outcome') outcome: Maybe<string>,
    @Args('first') first: Maybe<number>,
    @Args('after') after: Maybe<string>,
    @Args('last') last: Maybe<number>,
    @Args('before') before: Maybe<string>,
    @Args('position') position: Maybe<number>,
    @Context('req') req: Req,
  ) {
    return this.queries.execute(
      new DecisionsQuery(
        { partnershipId, body, outcome },
        { first, after, last, before },
        requestedPosition(position, req),
      ),
    );
  }

  @Query('organizations')
  organizations(
    @Args('filter') filter: Maybe<OrganizationFilterInput>,
    @Args('first') first: Maybe<number>,
    @Args('after') after: Maybe<string>,
    @Args('last') last: Maybe<number>,
    @Args('before') before: Maybe<string>,
    @Args('position') position: Maybe<number>,
    @Context('req') req: Req,
  ) {
    return this.queries.execute(
      new OrganizationsQuery(filter ?? {}, { first, after, last, before }, requestedPosition(position, req)),
    );
  }

  @Query('organization')
  organization(
    @Args('id') id: string,
    @Args('position') position: Maybe<number>,
    @Context('req') req: Req,
  ) {
    return this.queries.execute(new OrganizationQuery(id, requestedPosition(position, req)));
  }

  @Query('strategy')
  strategy(@Args('position') position: Maybe<number>, @Context('req') req: Req) {
    return this.queries.execute(new StrategyQuery(requestedPosition(position, req)));
  }

  @Query('capability')
  capability(@Args('position') position: Maybe<number>, @Context('req') req: Req) {
    return this.queries.execute(new CapabilityQuery(requestedPosition(position, req)));
  }

  @Query('auditTrail')
  auditTrail(
    @Args('filter') filter: Maybe<AuditTrailFilterInput>,
    @Args('first') first: Maybe<number>,
    @Args('after') after: Maybe<string>,
    @Args('last') last: Maybe<number>,
    @Args('before') before: Maybe<string>,
    @Args('position') position: Maybe<number>,
    @Context('req') req: Req,
  ) {
    return this.queries.execute(
      new AuditTrailQuery(filter ?? {}, { first, after, last, before }, requestedPosition(position, req)),
    );
  }

  @Query('partnershipHistory')
  partnershipHistory(
    @Args('id') id: string,
    @Args('first') first: Maybe<number>,
    @Args('after') after: Maybe<string>,
    @Args('last') last: Maybe<number>,
    @Args('before') before: Maybe<string>,
  ) {
    return this.queries.execute(new PartnershipHistoryQuery(id, { first, after, last, before }));
  }
}
