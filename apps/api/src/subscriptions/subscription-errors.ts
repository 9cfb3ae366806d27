import { GraphQLError } from 'graphql';

/** Close code of a socket closed because a subscription on it could not keep up (see the README, "Integrators"). */
export const SLOW_CONSUMER_CLOSE_CODE = 4008;
/** Close code of a socket that held no subscription for WS_IDLE_TIMEOUT_SECONDS. */
export const IDLE_CLOSE_CODE = 4000;

/**
 * The client took nothing for SUBSCRIPTION_STALL_TIMEOUT_SECONDS while events waited for it.
 * `cursor` is the last event it was sent: subscribe again with `after: cursor` to continue there.
 */
export function slowConsumerError(cursor: number, stallSeconds: number): GraphQLError {
  return new GraphQLError(
    `Subscription closed: the client read nothing for ${stallSeconds} s while events waited. Subscribe again with after: ${cursor} to resume.`,
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
