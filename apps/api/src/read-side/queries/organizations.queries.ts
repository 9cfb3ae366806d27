import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ORGANIZATIONS, ORGANIZATION_MEMBERSHIPS, type OrganizationDoc, type OrganizationPartnership } from '@ppl/projections';
import { READ_MODEL_STORE, type Filter, type ReadModelStore } from '@ppl/read-model';
import { findPage, findPaging, pageWindow, toConnection, type Connection, type PageArgs } from '../connection';
import { ReadSideInputError } from '../read-side.errors';
import { carryPosition, ReadYourWrites } from '../read-your-writes';

export interface OrganizationFilterInput {
  kind?: string | null;
  search?: string | null;
  partnershipId?: string | null;
}

export class OrganizationsQuery {
  constructor(
    readonly filter: OrganizationFilterInput,
    readonly page: PageArgs,
    readonly position: number | undefined,
  ) {}
}

export class OrganizationQuery {
  constructor(
    readonly id: string,
    readonly position: number | undefined,
  ) {}
}

@QueryHandler(OrganizationsQuery)
export class OrganizationsHandler implements IQueryHandler<OrganizationsQuery, Connection<OrganizationDoc>> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute(query: OrganizationsQuery): Promise<Connection<OrganizationDoc>> {
    const paging = findPaging(pageWindow(query.page));
    const and: Filter[] = [];
    if (query.filter.kind) and.push({ kind: query.filter.kind });
    if (query.filter.search) {
      if (query.filter.search.length > 200) throw new ReadSideInputError('search is at most 200 characters', [{ path: 'filter.search', message: 'at most 200 characters' }]);
      and.push({ name: { contains: query.filter.search } });
    }
    await this.ryw.reach(query.position, ['organizations']);
    if (query.filter.partnershipId) {
      const members = await this.store.find<OrganizationPartnership>(ORGANIZATION_MEMBERSHIPS, {
        filter: { partnershipId: query.filter.partnershipId },
        first: 10_000,
      });
      and.push({ id: { in: members.items.map((m) => m.organisationId) } });
    }
    const page = await findPage<OrganizationDoc>(this.store, ORGANIZATIONS, { filter: { and }, sort: [{ field: 'name' }], ...paging });
    return toConnection(page, (doc) => carryPosition(doc, query.position));
  }
}

@QueryHandler(OrganizationQuery)
export class OrganizationHandler implements IQueryHandler<OrganizationQuery, OrganizationDoc | null> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute(query: OrganizationQuery): Promise<OrganizationDoc | null> {
    await this.ryw.reach(query.position, ['organizations']);
    return carryPosition((await this.store.get<OrganizationDoc>(ORGANIZATIONS, query.id)) ?? null, query.position);
  }
}

/** The partnerships an organisation takes part in (now or before), oldest membership first: a page of them. */
export class OrganizationPartnershipsQuery {
  constructor(
    readonly organisationId: string,
    readonly active: boolean | null | undefined,
    readonly page: PageArgs,
    /** The position the root field waited for (read your writes), carried to each membership. */
    readonly position?: number,
  ) {}
}

@QueryHandler(OrganizationPartnershipsQuery)
export class OrganizationPartnershipsHandler implements IQueryHandler<OrganizationPartnershipsQuery, Connection<OrganizationPartnership>> {
  constructor(@Inject(READ_MODEL_STORE) private readonly store: ReadModelStore) {}

  async execute(query: OrganizationPartnershipsQuery): Promise<Connection<OrganizationPartnership>> {
    const paging = findPaging(pageWindow(query.page));
    const filter: Filter = { organisationId: query.organisationId, ...(typeof query.active === 'boolean' ? { active: query.active } : {}) };
    const page = await findPage<OrganizationPartnership>(this.store, ORGANIZATION_MEMBERSHIPS, {
      filter,
      sort: [{ field: 'since', direction: 'asc' }],
      ...paging,
    });
    return toConnection(page, (doc) => carryPosition(doc, query.position));
  }
}
