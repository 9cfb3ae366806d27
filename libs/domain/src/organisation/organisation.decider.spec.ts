import { deciderSpecification } from '../testing/decider-specification';
import { organisationDecider } from './organisation.decider';
import type { OrganisationCommand } from './organisation.commands';

const T = '2025-01-01T00:00:00.000Z';
const spec = deciderSpecification(organisationDecider, { actor: { id: 'admin' }, businessTime: T });
const register: OrganisationCommand = {
  type: 'RegisterOrganization',
  organisationId: 'org-municipality',
  name: 'Municipality',
  kind: 'LOCAL_GOVERNMENT',
  isHome: true,
  departments: [
    { departmentId: 'dept-social', name: 'Social affairs' },
    { departmentId: 'dept-economy', name: 'Local economy' },
  ],
};

describe('organisations — home and partners, with departments', () => {
  it('registers an organisation', () => {
    const { type: _type, ...fields } = register;
    spec.given([]).when(register).then([{ type: 'OrganizationRegistered', data: { ...fields, registeredBy: 'admin', at: T } }]);
  });
  it('registering twice is refused', () => {
    spec.given(spec.given([]).when(register).events()).when(register).thenThrows('ALREADY_EXISTS');
  });
  it('department ids are unique', () => {
    spec.given([]).when({ ...register, departments: [register.departments[0], register.departments[0]] }).thenThrows('VALIDATION_FAILED');
  });
});
