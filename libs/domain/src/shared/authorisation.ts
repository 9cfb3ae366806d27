import type { DecisionContext } from './decision-context';
import { refuse } from './domain-error';

/**
 * The one authorisation rule the domain itself knows: an auditor reads everything and never
 * writes (PRODUCT.md, "Who uses it"). Finer rules (who may record a board decision) belong to
 * the API, which knows the authenticated roles.
 */
export function assertMayWrite(context: DecisionContext): void {
  if (context.actor.role?.toLowerCase() === 'auditor') {
    refuse('FORBIDDEN', { condition: 'ACTOR_MAY_WRITE', detail: 'an auditor never writes' });
  }
}
