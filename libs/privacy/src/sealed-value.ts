import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SEALED_PREFIX } from '@ppl/domain';

/**
 * A personal field sealed with its person's key: AES-256-GCM, still a string, so it goes
 * wherever the plain text went (event data, the read model, snapshots):
 *
 *   ppl-sealed:1:<keyId>.<iv>.<ciphertext+tag>   (base64url)
 *
 * The additional authenticated data binds it to its key id and to the field it belongs to (the
 * field's name: `name`, `description`, ...): a sealed value moved to another field, or given
 * another key id, no longer opens. The field's name rather than its full path, because the same
 * value legitimately appears under several containers (an event's `leadParty.delegate`, the
 * folded state's party, the read model's `delegate`).
 */
export interface PersonalKey {
  readonly keyId: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value that does not open: tampered, swapped to another field, or not of this format. */
export class SealedValueInvalidError extends Error {
  override readonly name = 'SealedValueInvalidError';
  readonly code = 'SEALED_VALUE_INVALID';
}

const aad = (keyId: string, field: string): Buffer => Buffer.from(`${SEALED_PREFIX}${keyId}:${field}`, 'utf8');

export function seal(key: PersonalKey, field: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(aad(key.keyId, field));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${SEALED_PREFIX}${key.keyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** The key id a sealed value names, or null when the value is not sealed. */
export function keyIdOf(value: string): string | null {
  if (!value.startsWith(SEALED_PREFIX)) return null;
  const dot = value.indexOf('.', SEALED_PREFIX.length);
  return dot < 0 ? null : value.slice(SEALED_PREFIX.length, dot);
}

export function open(key: PersonalKey, field: string, sealed: string): string {
  const parts = sealed.slice(SEALED_PREFIX.length).split('.');
  if (!sealed.startsWith(SEALED_PREFIX) || parts.length !== 3 || parts[0] !== key.keyId) {
    throw new SealedValueInvalidError(`not a value sealed with key ${key.keyId}`);
  }
  const iv = Buffer.from(parts[1] as string, 'base64url');
  const body = Buffer.from(parts[2] as string, 'base64url');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new SealedValueInvalidError('malformed sealed value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAAD(aad(key.keyId, field));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedValueInvalidError(`sealed value of field ${field} does not authenticate (tampered, or moved from another field)`);
  }
}

export function newPersonalKey(): PersonalKey {
  return { keyId: randomBytes(16).toString('base64url'), key: randomBytes(32) };
}
