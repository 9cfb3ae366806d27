import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and every recorded event carries about the request that caused it. */
export interface RequestContext {
  readonly correlationId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentCorrelationId(): string | undefined {
  return requestContext.getStore()?.correlationId;
}
