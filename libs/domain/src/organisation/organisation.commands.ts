import { z } from 'zod';
import { identifier, name } from '../shared/primitives';
import { OrganisationKindSchema } from './organisation-kind';

export const DepartmentSchema = z.strictObject({ departmentId: identifier(), name: name() });

export const RegisterOrganizationSchema = z.strictObject({
  type: z.literal('RegisterOrganization'),
  organisationId: identifier(),
  name: name(),
  kind: OrganisationKindSchema,
  /** The organisation whose board this deployment serves. */
  isHome: z.boolean(),
  /** The home organisation's departments (several may work with the same partner). */
  departments: z.array(DepartmentSchema).max(100),
});

export const organisationCommandSchemas = { RegisterOrganization: RegisterOrganizationSchema } as const;

export type RegisterOrganization = z.infer<typeof RegisterOrganizationSchema>;
export type OrganisationCommand = RegisterOrganization;
