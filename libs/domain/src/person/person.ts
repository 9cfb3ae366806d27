import { z } from 'zod';
import type { Decider } from '../shared/decider';
import type { DecisionContext } from '../shared/decision-context';
import { assertMayWrite } from '../shared/authorisation';
import { identifier, isoDateTime, text } from '../shared/primitives';

/**
 * A person whose personal data the ledger holds (a delegate, a network-role holder). Its one
 * command forgets them: the command side destroys the person's key before recording
 * PersonForgotten, so everything sealed with it reads as redacted from then on, while the
 * events (and their hashes) stay. Forgetting again (after new data about them) is recorded again.
 */
export const ForgetPersonSchema = z.strictObject({
  type: z.literal('ForgetPerson'),
  personId: identifier(),
  /** Why (e.g. "erasure request of 2026-11-20"): the record of the erasure itself. */
  reason: text(2000),
});

export const personCommandSchemas = { ForgetPerson: ForgetPersonSchema } as const;
export type ForgetPerson = z.infer<typeof ForgetPersonSchema>;
export type PersonCommand = ForgetPerson;

export const personEventDataSchemas = {
  PersonForgotten: z.object({ personId: identifier(), reason: text(2000), at: isoDateTime() }),
} as const;

type DataSchemas = typeof personEventDataSchemas;
export type PersonEvent = { [K in keyof DataSchemas]: { type: K; data: z.infer<DataSchemas[K]> } }[keyof DataSchemas];

export interface PersonState {
  personId: string | null;
  /** How often the person was forgotten, and when last. */
  forgottenCount: number;
  lastForgottenAt: string | null;
}

export const initialPersonState: PersonState = { personId: null, forgottenCount: 0, lastForgottenAt: null };

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState, DecisionContext> = {
  initialState: initialPersonState,
  decide(command, _state, context) {
    assertMayWrite(context);
    return [{ type: 'PersonForgotten', data: { personId: command.personId, reason: command.reason, at: context.businessTime } }];
  },
  evolve(state, event) {
    return { personId: event.data.personId, forgottenCount: state.forgottenCount + 1, lastForgottenAt: event.data.at };
  },
};
