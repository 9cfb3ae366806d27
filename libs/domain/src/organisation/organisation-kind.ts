import { z } from 'zod';

/** Kinds of organisation seen in the sources. */
export const ORGANISATION_KINDS = [
  'LOCAL_GOVERNMENT',
  /** Public social welfare centre (OCMW). */
  'PUBLIC_SOCIAL_WELFARE_CENTRE',
  /** A cluster of OCMWs. */
  'PUBLIC_SOCIAL_WELFARE_CENTRE_CLUSTER',
  /** Public employment service (VDAB). */
  'PUBLIC_EMPLOYMENT_SERVICE',
  /** Sheltered/custom employment company (WSG, maatwerkbedrijf). */
  'CUSTOM_EMPLOYMENT_COMPANY',
  'UNION',
  'EMPLOYER_ORGANISATION',
  'NON_PROFIT',
  'COMPANY',
  'GOVERNMENT_AGENCY',
  'OTHER',
] as const;
export const OrganisationKindSchema = z.enum(ORGANISATION_KINDS);
export type OrganisationKind = z.infer<typeof OrganisationKindSchema>;
