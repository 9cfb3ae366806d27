import type { Decider } from '../shared/decider';
import type { DecisionContext } from '../shared/decision-context';
import { refuse } from '../shared/domain-error';
import { assertMayWrite } from '../shared/authorisation';
import type { OrganisationCommand } from './organisation.commands';
import type { OrganisationEvent } from './organisation.events';
import { initialOrganisationState, type OrganisationState } from './organisation.state';

// "Only one home organisation" spans streams; the decider sees one stream, so the API checks it.
function decide(command: OrganisationCommand, state: OrganisationState, context: DecisionContext): OrganisationEvent[] {
  assertMayWrite(context);
  switch (command.type) {
    case 'RegisterOrganization': {
      if (state.registered) refuse('ALREADY_EXISTS', { condition: 'ORGANISATION_NOT_REGISTERED', detail: command.organisationId });
      const ids = command.departments.map((d) => d.departmentId);
      if (new Set(ids).size !== ids.length) refuse('VALIDATION_FAILED', { condition: 'UNIQUE_DEPARTMENT_IDS' });
      return [
        {
          type: 'OrganizationRegistered',
          data: {
            organisationId: command.organisationId,
            name: command.name,
            kind: command.kind,
            isHome: command.isHome,
            departments: command.departments,
            registeredBy: context.actor.id,
            at: context.businessTime,
          },
        },
      ];
    }
  }
}

function evolve(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  switch (event.type) {
    case 'OrganizationRegistered':
      return {
        registered: true,
        organisationId: event.data.organisationId,
        name: event.data.name,
        kind: event.data.kind,
        isHome: event.data.isHome,
        departments: event.data.departments,
        registeredAt: event.data.at,
      };
  }
}

export const organisationDecider: Decider<OrganisationCommand, OrganisationEvent, OrganisationState, DecisionContext> = {
  initialState: initialOrganisationState,
  evolve,
  decide,
};
