import { SignJWT } from 'jose';
import { EMBEDDED_ALGORITHM, type EmbeddedKeys } from './embedded-keys';
import type { Role } from './roles';

export interface TokenRequest {
  readonly sub: string;
  readonly role: Role;
  readonly organisationId?: string;
  /** jose duration, e.g. '1h', '30m', '7d'. */
  readonly ttl?: string;
  readonly issuer: string;
  readonly audience: string;
}

/** Signs a token with the embedded key (what `npm run token` prints). */
export async function issueToken(keys: EmbeddedKeys, request: TokenRequest): Promise<string> {
  const jwt = new SignJWT({ role: request.role, ...(request.organisationId ? { org: request.organisationId } : {}) })
    .setProtectedHeader({ alg: EMBEDDED_ALGORITHM, kid: keys.kid, typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuer(request.issuer)
    .setAudience(request.audience)
    .setIssuedAt()
    .setExpirationTime(request.ttl ?? '1h');
  return jwt.sign(keys.privateKey);
}
