import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { mayReadPersonalData } from '@ppl/auth';
import type { PartnershipState } from '@ppl/domain';
import { PORTFOLIO_STATE, type PartnershipView, type StateDoc } from '@ppl/projections';
import { READ_MODEL_STORE, type ReadModelStore } from '@ppl/read-model';
import { PartnershipAsOfQuery } from '../audit/audit.queries';
import { principalOf, type SecuredContext } from '../auth/secure-schema';
import { partnershipRecord, stateOfView, type PartnershipRecordView } from './partnership-record';

const loaders = new WeakMap<object, DataLoader<string, PartnershipState | null>>();

/**
 * `Partnership.record`, only when selected: from the state a time-travel answer carries, else from
 * the portfolio projection's stored state of the partnership when it is at the row's revision
 * (one batch of reads per request, so a page of the portfolio costs one read per row, not per
 * field), else folded from the event store at the row's revision.
 */
@Resolver('Partnership')
export class PartnershipRecordResolver {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly queries: QueryBus,
  ) {}

  @ResolveField('record')
  async record(@Parent() view: PartnershipView, @Context() context: SecuredContext): Promise<PartnershipRecordView> {
    const principal = principalOf(context);
    let state = stateOfView(view);
    if (!state) {
      let loader = loaders.get(context);
      if (!loader) {
        // Batching only, no cache: over graphql-ws one context serves a whole connection, whose
        // later messages (partnershipChanged) must read the state as it is then.
        loader = new DataLoader(
          async (ids: readonly string[]) => Promise.all(ids.map(async (id) => (await this.store.get<StateDoc>(PORTFOLIO_STATE, id))?.state ?? null)),
          { cache: false },
        );
        loaders.set(context, loader);
      }
      const stored = (await loader.load(view.id)) ?? undefined;
      // The row and its state are committed together, but a row read earlier (a subscription
      // payload, a page read before the next commit) may be older than the state read now: then
      // fold the record at the row's own revision, so both always describe the same moment.
      state =
        stored && stored.revision === view.revision
          ? stored
          : stateOfView((await this.queries.execute<PartnershipAsOfQuery, PartnershipView | null>(new PartnershipAsOfQuery(view.id, { atRevision: view.revision }))) ?? {});
    }
    if (!state) throw new Error(`no recorded state of partnership ${view.id} in the read model`);
    return partnershipRecord(state, mayReadPersonalData(principal));
  }
}
