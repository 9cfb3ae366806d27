import { readFileSync } from 'node:fs';
import { type CryptoKey, type JWTVerifyGetKey, createRemoteJWKSet, errors, importSPKI, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { EMBEDDED_ALGORITHM, ensureEmbeddedKeys } from './embedded-keys';
import { UnauthenticatedError } from './errors';
import { type Principal, isRole } from './roles';

export interface VerifierSettings {
  readonly dataDir: string;
  readonly issuer: string;
  readonly audience: string;
  /** An OIDC provider's JWKS endpoint. */
  readonly jwksUrl?: string;
  /** A PEM (SPKI) public key file. */
  readonly publicKeyFile?: string;
  /** Accepted algorithms (pinned); default ES256 for the embedded key, RS256 and ES256 otherwise. */
  readonly algorithms?: readonly string[];
  /** Claim holding the role (OIDC providers often use a custom claim). */
  readonly roleClaim?: string;
  readonly organisationClaim?: string;
  readonly clockToleranceSeconds?: number;
  /**
   * How long a verified token is remembered (0: never), so a client's every request does not pay
   * for a signature check. Never beyond the token's own expiry; a token refused is not remembered.
   */
  readonly rememberSeconds?: number;
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

const MAX_TOKEN_LENGTH = 8192;
const REMEMBERED_TOKENS = 10_000;

/**
 * Verifies bearer tokens with `jose`: the signature against the configured key (JWKS URL,
 * public key file, or the embedded key under DATA_DIR), with the algorithms pinned, and the
 * issuer, audience and expiry checked. Any failure is one UNAUTHENTICATED error whose message
 * says what was wrong without echoing the token.
 */
export async function createTokenVerifier(settings: VerifierSettings): Promise<TokenVerifier> {
  let key: CryptoKey | JWTVerifyGetKey;
  let algorithms: string[];
  if (settings.jwksUrl) {
    key = createRemoteJWKSet(new URL(settings.jwksUrl));
    algorithms = [...(settings.algorithms ?? ['RS256', 'ES256'])];
  } else if (settings.publicKeyFile) {
    algorithms = [...(settings.algorithms ?? ['RS256'])];
    key = await importSPKI(readFileSync(settings.publicKeyFile, 'utf8'), algorithms[0] as string);
  } else {
    key = (await ensureEmbeddedKeys(settings.dataDir)).publicKey;
    algorithms = [EMBEDDED_ALGORITHM];
  }
  const roleClaim = settings.roleClaim ?? 'role';
  const organisationClaim = settings.organisationClaim ?? 'org';

  const rememberMs = (settings.rememberSeconds ?? 60) * 1000;
  const remembered = rememberMs > 0 ? new LRUCache<string, Principal>({ max: REMEMBERED_TOKENS }) : undefined;

  return {
    async verify(token: string): Promise<Principal> {
      if (!token || token.length > MAX_TOKEN_LENGTH) throw new UnauthenticatedError('Missing or oversized bearer token');
      const known = remembered?.get(token);
      if (known) return known;
      try {
        const { payload } = await jwtVerify(token, key as CryptoKey, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms,
          clockTolerance: settings.clockToleranceSeconds ?? 30,
          requiredClaims: ['sub', 'exp'],
        });
        const role = payload[roleClaim];
        if (!isRole(role)) throw new UnauthenticatedError(`Token has no known role in claim "${roleClaim}"`);
        const organisationId = payload[organisationClaim];
        const principal: Principal = {
          id: String(payload.sub),
          role,
          ...(typeof organisationId === 'string' && organisationId ? { organisationId } : {}),
          expiresAt: (payload.exp as number) * 1000,
        };
        // Remembered until its expiry at the latest (`exp` is required above).
        const ttl = Math.min(rememberMs, (payload.exp as number) * 1000 - Date.now());
        if (remembered && ttl > 0) remembered.set(token, principal, { ttl });
        return principal;
      } catch (error) {
        if (error instanceof UnauthenticatedError) throw error;
        if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('Token expired');
        if (error instanceof errors.JWTClaimValidationFailed) throw new UnauthenticatedError(`Token claim "${error.claim}" invalid`);
        throw new UnauthenticatedError('Token invalid');
      }
    },
  };
}
