import type { AppConfig } from '@ppl/config';
import type { VerifierSettings } from '@ppl/auth';

/** The service's TokenVerifier (createTokenVerifier), built once at start from the configuration. */
export const TOKEN_VERIFIER = Symbol.for('ppl.TokenVerifier');

export function verifierSettings(config: AppConfig): VerifierSettings {
  return {
    dataDir: config.dataDir,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    ...(config.AUTH_JWKS_URL ? { jwksUrl: config.AUTH_JWKS_URL } : {}),
    ...(config.AUTH_PUBLIC_KEY_FILE ? { publicKeyFile: config.AUTH_PUBLIC_KEY_FILE } : {}),
    ...(config.AUTH_ALGORITHMS ? { algorithms: config.AUTH_ALGORITHMS.split(',') } : {}),
    roleClaim: config.AUTH_ROLE_CLAIM,
    organisationClaim: config.AUTH_ORGANISATION_CLAIM,
    rememberSeconds: config.AUTH_REMEMBER_SECONDS,
  };
}

/** `Bearer <token>` → the token; anything else → undefined. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
