import type { Body } from '../strategy/escalation-rule';
import type { DecisionContext } from './decision-context';
import { refuse } from './domain-error';

/**
 * The authorisation rules the domain itself knows. An auditor reads everything and never writes
 * (PRODUCT.md, "Who uses it"). And a governing body answers for itself: its decisions are
 * recorded, the escalations addressed to it acknowledged and the conditions it set marked met by
 * a role that speaks for it (rule 3: an EXPECTED escalation "stays open until the body
 * acknowledges or decides"). Which roles may send which command at all belongs to the API.
 */
export function assertMayWrite(context: DecisionContext): void {
  if (context.actor.role?.toLowerCase() === 'auditor') {
    refuse('FORBIDDEN', { condition: 'ACTOR_MAY_WRITE', detail: 'an auditor never writes' });
  }
}

/**
 * The roles that speak for each body. The board and the executive answer for themselves; staff
 * and a steering group are informed rather than asked to approve, and a manager or the executive
 * records what they were told.
 */
export const BODY_SPEAKERS: Readonly<Record<Body, readonly string[]>> = {
  BOARD: ['BOARD'],
  EXECUTIVE: ['EXECUTIVE'],
  STAFF: ['MANAGER', 'EXECUTIVE'],
  STEERING_GROUP: ['MANAGER', 'EXECUTIVE'],
};

/** Does an actor of this role speak for the body? */
export const speaksFor = (role: string, body: Body): boolean => BODY_SPEAKERS[body].includes(role.toUpperCase());

/**
 * Refuses `what` (e.g. "acknowledge the escalations") unless the actor speaks for `body`. An actor
 * without a role (a caller inside the process that names none) is not checked: every caller of
 * the API has one.
 */
export function assertSpeaksFor(context: DecisionContext, body: Body, what: string): void {
  const role = context.actor.role;
  if (role === undefined || speaksFor(role, body)) return;
  refuse('FORBIDDEN', {
    condition: 'ACTOR_SPEAKS_FOR_BODY',
    detail: `only ${BODY_SPEAKERS[body].join(' or ')} may ${what} of the ${body}, not ${role}`,
  });
}

/**
 * The escalation points addressed to the board are the board's own (PRODUCT.md: the strategy,
 * its escalation policy included, is carried by board and executive, but no slide "over the
 * heads" of a body): a rule routed to the BOARD is set, replaced or removed by the BOARD, or by
 * ADMIN, who configures the service. `bodies`: the body of the rule set and of the rule it
 * replaces or removes.
 */
export function assertMayRouteTo(context: DecisionContext, bodies: readonly (Body | undefined)[]): void {
  const role = context.actor.role?.toUpperCase();
  if (role === undefined || role === 'BOARD' || role === 'ADMIN' || !bodies.includes('BOARD')) return;
  refuse('FORBIDDEN', { condition: 'BOARD_RULES_BY_THE_BOARD', detail: `only BOARD or ADMIN may set or remove an escalation rule addressed to the BOARD, not ${context.actor.role}` });
}
