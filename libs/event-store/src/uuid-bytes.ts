/** UUID text <-> 16 bytes, without a dependency (the `uuid` package is ESM-only since v12). */

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** 16 bytes of a UUID given as text (any case). The caller checks `isUuid` first. */
export function uuidToBytes(uuid: string): Buffer {
  return Buffer.from(
    uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24),
    'hex',
  );
}

/** Lower-case canonical text of 16 UUID bytes. */
export function bytesToUuid(bytes: Uint8Array): string {
  const hex = Buffer.isBuffer(bytes) ? bytes.toString('hex') : Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
