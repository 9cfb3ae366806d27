import type { AppConfig } from '@ppl/config';
import type { HashChainVerifier } from '@ppl/event-store';

/**
 * The two hash chains the event-store adapters write (libs/event-store/src/hash-chain.ts):
 *
 * - `sqlite`: each event's hash covers its global position and the previous event of the global
 *   order as well as the previous event of its stream.
 * - `eventstoredb`: the server assigns positions after the write, so the hash covers position -1
 *   and no global link; each stream's chain is complete.
 *
 * Whoever verifies (GraphQL `verifyIntegrity`, `npm run audit:verify`, an export's reader) must
 * use the chain of the store that wrote the events.
 */
export type ChainKind = 'sqlite' | 'eventstoredb';

export const CHAIN_KINDS: readonly ChainKind[] = ['sqlite', 'eventstoredb'];

export type ChainOptions = NonNullable<ConstructorParameters<typeof HashChainVerifier>[0]>;

export function chainOptionsOf(kind: ChainKind): ChainOptions {
  switch (kind) {
    case 'sqlite':
      return { positionsHashed: true, globalChain: true };
    case 'eventstoredb':
      return { positionsHashed: false, globalChain: false };
  }
}

/** The chain of the configured store (EVENT_STORE). */
export function chainKindFor(config: Pick<AppConfig, 'EVENT_STORE'>): ChainKind {
  return config.EVENT_STORE;
}

export const chainOptionsFor = (config: Pick<AppConfig, 'EVENT_STORE'>): ChainOptions =>
  chainOptionsOf(chainKindFor(config));
