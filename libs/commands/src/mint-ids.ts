import { mintedIdFor } from './event-ids';

type Json = Record<string, unknown>;

/**
 * Fills the ids a caller may leave out (`partnershipId`, `goals[].goalId`, ...) with ids derived
 * from the command id, and returns which it minted by concrete path (`goals.1.goalId`).
 */
export function mintIds(input: Json, paths: readonly string[], commandId: string): { input: Json; minted: Record<string, string> } {
  const copy = structuredClone(input);
  return { input: copy, minted: mintIdsInto(copy, paths, commandId) };
}

/** mintIds on `input` itself (a copy the caller owns): fills it and returns what it minted. */
export function mintIdsInto(input: Json, paths: readonly string[], commandId: string): Record<string, string> {
  const minted: Record<string, string> = {};
  for (const path of paths) fill(input, path.split('.'), [], commandId, minted);
  return minted;
}

function fill(target: unknown, segments: string[], at: string[], commandId: string, minted: Record<string, string>): void {
  if (typeof target !== 'object' || target === null) return;
  const [head, ...rest] = segments;
  if (head === undefined) return;
  const obj = target as Json;
  if (head.endsWith('[]')) {
    const key = head.slice(0, -2);
    const list = obj[key];
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => fill(item, rest, [...at, key, String(i)], commandId, minted));
    return;
  }
  if (rest.length > 0) {
    fill(obj[head], rest, [...at, head], commandId, minted);
    return;
  }
  if (obj[head] === undefined || obj[head] === null) {
    const path = [...at, head].join('.');
    const id = mintedIdFor(commandId, path);
    obj[head] = id;
    minted[path] = id;
  }
}
