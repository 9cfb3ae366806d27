import { z } from 'zod';
import { identifier, isoDateTime, name } from '../shared/primitives';
import { OrganisationKindSchema } from './organisation-kind';

export const organisationEventDataSchemas = {
  OrganizationRegistered: z.object({
    organisationId: identifier(),
    name: name(),
    kind: OrganisationKindSchema,
    isHome: z.boolean(),
    departments: z.array(z.object({ departmentId: identifier(), name: name() })),
    registeredBy: identifier(),
    at: isoDateTime(),
  }),
} as const;

type DataSchemas = typeof organisationEventDataSchemas;
export type OrganisationEvent = { [K in keyof DataSchemas]: { type: K; data: z.infer<DataSchemas[K]> } }[keyof DataSchemas];
