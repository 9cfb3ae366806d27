import type { OrganisationKind } from './organisation-kind';

export interface OrganisationState {
  registered: boolean;
  organisationId: string | null;
  name: string | null;
  kind: OrganisationKind | null;
  isHome: boolean;
  departments: { departmentId: string; name: string }[];
  registeredAt: string | null;
}

export const initialOrganisationState: OrganisationState = {
  registered: false,
  organisationId: null,
  name: null,
  kind: null,
  isHome: false,
  departments: [],
  registeredAt: null,
};
