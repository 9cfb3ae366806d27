import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import { ensureEmbeddedKeys } from './embedded-keys';
import { createTokenVerifier } from './token-verifier';
import { issueToken } from './tokens';

describe('bearer tokens on the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ppl-auth-'));
  const settings = { dataDir, issuer: 'ppl-embedded', audience: 'partnership-ledger' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the signing key once, readable by its owner only, and verifies the tokens it signs', async () => {
    const keys = await ensureEmbeddedKeys(dataDir);
    const again = await ensureEmbeddedKeys(dataDir);
    expect(again.kid).toBe(keys.kid);
    expect(statSync(join(dataDir, 'auth', 'signing-key.private.jwk.json')).mode & 0o077).toBe(0);
    const token = await issueToken(keys, { ...settings, sub: 'board-chair', role: 'BOARD', organisationId: 'org-home', ttl: '5m' });
    const verifier = await createTokenVerifier(settings);
    await expect(verifier.verify(token)).resolves.toEqual({ id: 'board-chair', role: 'BOARD', organisationId: 'org-home' });
  });

  it('refuses expired, foreign-issuer, wrong-audience, forged, unsigned and role-less tokens as UNAUTHENTICATED', async () => {
    const keys = await ensureEmbeddedKeys(dataDir);
    const verifier = await createTokenVerifier(settings);
    const refuse = (token: string) => expect(verifier.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const expired = await new SignJWT({ role: 'BOARD' }).setProtectedHeader({ alg: 'ES256' }).setSubject('x').setIssuer(settings.issuer).setAudience(settings.audience).setExpirationTime(Math.floor(Date.now() / 1000) - 3600).sign(keys.privateKey);
    await refuse(expired);
    await refuse(await issueToken(keys, { ...settings, issuer: 'someone-else', sub: 'x', role: 'BOARD' }));
    await refuse(await issueToken(keys, { ...settings, audience: 'another-api', sub: 'x', role: 'BOARD' }));
    const stranger = await generateKeyPair('ES256');
    await refuse(await new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'ES256' }).setSubject('x').setIssuer(settings.issuer).setAudience(settings.audience).setExpirationTime('1h').sign(stranger.privateKey));
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'ADMIN', iss: settings.issuer, aud: settings.audience, exp: 9e9 })).toString('base64url')}.`;
    await refuse(unsigned);
    await refuse(await new SignJWT({ role: 'KING' }).setProtectedHeader({ alg: 'ES256' }).setSubject('x').setIssuer(settings.issuer).setAudience(settings.audience).setExpirationTime('1h').sign(keys.privateKey));
    await refuse('not-a-token');
    await refuse('x'.repeat(10_000));
  });
});
