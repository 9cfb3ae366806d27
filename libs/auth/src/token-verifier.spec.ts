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
    const principal = await verifier.verify(token);
    expect(principal).toEqual({ id: 'board-chair', role: 'BOARD', organisationId: 'org-home', expiresAt: expect.any(Number) });
    // Until when the token holds (a subscription's connection ends then): five minutes from now.
    expect(Math.abs((principal.expiresAt ?? 0) - (Date.now() + 5 * 60_000))).toBeLessThan(5_000);
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
  it('remembers a verified token only until it expires, and only that exact token', async () => {
    const keys = await ensureEmbeddedKeys(dataDir);
    const verifier = await createTokenVerifier({ ...settings, clockToleranceSeconds: 0, rememberSeconds: 60 });
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await new SignJWT({ role: 'AUDITOR' }).setProtectedHeader({ alg: 'ES256' }).setSubject('auditor').setIssuer(settings.issuer).setAudience(settings.audience).setExpirationTime(exp).sign(keys.privateKey);
    await expect(verifier.verify(token)).resolves.toEqual({ id: 'auditor', role: 'AUDITOR', expiresAt: exp * 1000 });
    // Same header and claims, another signature: not the remembered token.
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify(token)).resolves.toEqual({ id: 'auditor', role: 'AUDITOR', expiresAt: exp * 1000 });
    while (Date.now() <= exp * 1000 + 50) await new Promise((r) => setTimeout(r, 100));
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
