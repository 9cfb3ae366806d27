import { QueryBus } from '@nestjs/cqrs';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { PartnershipAsOfQuery } from '../audit/audit.queries';
import { PartnershipQuery } from '../read-side/queries/portfolio.queries';

interface PartnershipChange {
  readonly partnershipId: string;
  readonly revision: number;
  readonly position: number;
}

/**
 * `partnershipChanged { partnership }`: the partnership's row as it stood right after that
 * change. The portfolio projection answers once it has reached the change (read your writes);
 * when it has already moved past it (changes in quick succession), the row is folded from the
 * event store at that revision instead, so every change shows its own row.
 */
@Resolver('PartnershipChange')
export class PartnershipChangeResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('partnership')
  async partnership(@Parent() change: PartnershipChange): Promise<unknown> {
    const row = await this.queries.execute<PartnershipQuery, { revision?: number } | null>(
      new PartnershipQuery(change.partnershipId, change.position),
    );
    if (row && row.revision === change.revision) return row;
    return this.queries.execute(new PartnershipAsOfQuery(change.partnershipId, { atRevision: change.revision }));
  }
}
