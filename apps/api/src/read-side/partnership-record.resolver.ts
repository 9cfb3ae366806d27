import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { mayReadPersonalData } from '@ppl/auth';
import type { PartnershipState } from '@ppl/domain';
import { PORTFOLIO_STATE, type PartnershipView, type StateDoc } from '@ppl/projections';
import { READ_MODEL_STORE, type ReadModelStore } from '@ppl/read-model';
import { principalOf, type SecuredContext } from '../auth/secure-schema';
import { partnershipRecord, stateOfView, type PartnershipRecordView } from './partnership-record';

const loaders = new WeakMap<object, DataLoader<string, PartnershipState | null>>();

/**
 * `Partnership.record`, only when selected: from the state a time-travel answer carries, else from
 * the portfolio projection's stored state of the partnership (one batch of reads per request, so
 * a page of the portfolio costs one read per row, not per field).
 */
@Resolver('Partnership')
export class PartnershipRecordResolver {
  constructor(@Inject(READ_MODEL_STORE) private readonly store: ReadModelStore) {}

  @ResolveField('record')
  async record(@Parent() view: PartnershipView, @Context() context: SecuredContext): Promise<PartnershipRecordView> {
    const principal = principalOf(context);
    let state = stateOfView(view);
    if (!state) {
      let loader = loaders.get(context);
      if (!loader) {
        loader = new DataLoader(async (ids: readonly string[]) =>
          Promise.all(ids.map(async (id) => (await this.store.get<StateDoc>(PORTFOLIO_STATE, id))?.state ?? null)),
        );
        loaders.set(context, loader);
      }
      state = (await loader.load(view.id)) ?? undefined;
    }
    if (!state) throw new Error(`no recorded state of partnership ${view.id} in the read model`);
    return partnershipRecord(state, mayReadPersonalData(principal));
  }
}
