import { SEALED_PREFIX } from '@ppl/domain';
import { SealedValueInvalidError, keyIdOf, newPersonalKey, open, seal } from './sealed-value';

describe('sealed values (AES-256-GCM, bound to key id and field)', () => {
  const key = newPersonalKey();

  it('round-trips, stays a compact string with the reserved prefix, and never shows the text', () => {
    const sealed = seal(key, 'name', 'Anna Peeters');
    expect(sealed.startsWith(`${SEALED_PREFIX}${key.keyId}.`)).toBe(true);
    expect(sealed).not.toContain('Anna');
    expect(sealed).toMatch(/^[A-Za-z0-9:._-]+$/);
    expect(keyIdOf(sealed)).toBe(key.keyId);
    expect(open(key, 'name', sealed)).toBe('Anna Peeters');
  });

  it('two seals of the same text differ (random IV)', () => {
    expect(seal(key, 'name', 'x')).not.toBe(seal(key, 'name', 'x'));
  });

  it('detects a tampered ciphertext', () => {
    const sealed = seal(key, 'description', 'my conviction');
    const body = sealed.slice(sealed.lastIndexOf('.') + 1);
    const flipped = body[0] === 'A' ? `B${body.slice(1)}` : `A${body.slice(1)}`;
    const tampered = `${sealed.slice(0, sealed.lastIndexOf('.') + 1)}${flipped}`;
    expect(() => open(key, 'description', tampered)).toThrow(SealedValueInvalidError);
  });

  it('detects a value moved to another field', () => {
    const sealed = seal(key, 'description', 'my conviction');
    expect(() => open(key, 'position', sealed)).toThrow(SealedValueInvalidError);
  });

  it('detects a value relabelled with another key id, or opened with another key', () => {
    const other = newPersonalKey();
    const sealed = seal(key, 'name', 'Anna');
    const relabelled = sealed.replace(key.keyId, other.keyId);
    expect(() => open(other, 'name', relabelled)).toThrow(SealedValueInvalidError);
    expect(() => open(other, 'name', sealed)).toThrow(SealedValueInvalidError);
  });

  it('keyIdOf tells plain text from sealed values', () => {
    expect(keyIdOf('Anna')).toBeNull();
  });
});
