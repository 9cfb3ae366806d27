import { createHash } from 'node:crypto';

/** Same formula as append-until-killed.js: the id of the event at (stream, revision). */
export function crashTestEventId(stream: string, revision: number): string {
  const hex = createHash('sha1').update(`${stream}:${revision}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
