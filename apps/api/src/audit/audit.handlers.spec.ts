import type { AppConfig } from '@ppl/config';
import { eventStoreDbChain, readOnlyStore } from '../../../../libs/audit/src/testing/eventstoredb-chain';
import { VerifyIntegrityHandler } from './audit.handlers';

describe('verifyIntegrity on the configured store', () => {
  it('with EVENT_STORE=eventstoredb verifies the EventStoreDB chain (no positions, no global link)', async () => {
    const handler = new VerifyIntegrityHandler(readOnlyStore(eventStoreDbChain(12)), {
      EVENT_STORE: 'eventstoredb',
    } as AppConfig);
    expect(await handler.execute()).toMatchObject({ ok: true, checked: 12, firstBroken: null });
  });
});
