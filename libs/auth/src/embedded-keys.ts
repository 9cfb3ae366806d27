import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CryptoKey, type JWK, exportJWK, generateKeyPair, importJWK } from 'jose';

/**
 * The embedded default's signing key: an ES256 key pair created under DATA_DIR on first start
 * (private key readable by the owner only), so a newcomer can issue tokens with `npm run token`
 * without an identity provider. With AUTH_JWKS_URL or AUTH_PUBLIC_KEY set it is not used.
 */
export const EMBEDDED_ALGORITHM = 'ES256';

export interface EmbeddedKeys {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function ensureEmbeddedKeys(dataDir: string): Promise<EmbeddedKeys> {
  const dir = join(dataDir, 'auth');
  const privatePath = join(dir, 'signing-key.private.jwk.json');
  const publicPath = join(dir, 'signing-key.public.jwk.json');
  if (!existsSync(privatePath)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = await generateKeyPair(EMBEDDED_ALGORITHM, { extractable: true });
    const kid = `ppl-${Date.now().toString(36)}`;
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: EMBEDDED_ALGORITHM };
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: EMBEDDED_ALGORITHM, use: 'sig' };
    writeFileSync(privatePath, JSON.stringify(privateJwk), { mode: 0o600, flag: 'wx' });
    chmodSync(privatePath, 0o600);
    writeFileSync(publicPath, JSON.stringify(publicJwk));
  }
  const privateJwk = JSON.parse(readFileSync(privatePath, 'utf8')) as JWK;
  const publicJwk = JSON.parse(readFileSync(publicPath, 'utf8')) as JWK;
  return {
    kid: String(publicJwk.kid),
    privateKey: (await importJWK(privateJwk, EMBEDDED_ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, EMBEDDED_ALGORITHM)) as CryptoKey,
    publicJwk,
  };
}
