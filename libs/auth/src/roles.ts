/** Who may use the ledger, as carried in a token's `role` claim. */
export const ROLES = ['BOARD', 'EXECUTIVE', 'MANAGER', 'AUDITOR', 'INTEGRATOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The authenticated caller: the token's subject, role and organisation. */
export interface Principal {
  readonly id: string;
  readonly role: Role;
  readonly organisationId?: string;
  /** When the token it was read from expires (epoch ms): a connection must not outlive it. */
  readonly expiresAt?: number;
}
