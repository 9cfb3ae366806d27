import { GraphQLError } from 'graphql';

/** Close code of a socket closed because a subscription on it could not keep up (see docs/integrators.md). */
export const SLOW_CONSUMER_CLOSE_CODE = 4008;
/** Close code of a socket that held no subscription for WS_IDLE_TIMEOUT_SECONDS. */
export const IDLE_CLOSE_CODE = 4000;

/**
 * The subscription fell SUBSCRIPTION_BUFFER events behind while live and was closed. `cursor` is
 * the last event it was sent: subscribe again with `after: cursor` to continue exactly there.
 */
export function slowConsumerError(cursor: number, buffer: number): GraphQLError {
  return new GraphQLError(
    `Subscription closed: the client fell more than ${buffer} events behind. Subscribe again with after: ${cursor} to resume.`,
    { extensions: { code: 'SLOW_CONSUMER', cursor } },
  );
}

/** The store ended the subscription (the service is shutting down). Resume after `cursor`. */
export function subscriptionEndedError(cursor: number): GraphQLError {
  return new GraphQLError(
    `Subscription ended by the service (shutting down or store unavailable). Subscribe again with after: ${cursor} to resume.`,
    { extensions: { code: 'SERVICE_UNAVAILABLE', cursor } },
  );
}

export function validationError(message: string, path: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'VALIDATION_FAILED', fields: [{ path, message }] },
  });
}
