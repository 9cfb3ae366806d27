import { z } from 'zod';

/**
 * Building blocks of the runtime schemas. Strings are trimmed and bounded so that a GraphQL
 * input reports a field path instead of storing a blank or a novel.
 */
/**
 * Marks a personal field sealed (encrypted) by the command side: `ppl-sealed:1:<keyId>.<iv>.<ciphertext+tag>`.
 * A caller's text never starts with it, so nothing a caller writes can pass for a sealed value.
 */
export const SEALED_PREFIX = 'ppl-sealed:1:';
export const isSealed = (value: unknown): value is string => typeof value === 'string' && value.startsWith(SEALED_PREFIX);

export const text = (max = 2000) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !s.startsWith(SEALED_PREFIX), { message: `must not start with the reserved prefix "${SEALED_PREFIX}"` });
/**
 * A personal field as stored: the caller's text, or what the command side sealed it into (longer
 * than the text, so not bound by its maximum). Only event data schemas use it, never commands.
 */
export const storedPersonal = <T extends z.ZodType>(plain: T) =>
  z.union([z.string().startsWith(SEALED_PREFIX).max(64_000), plain]);
export const name = () => text(200);
export const identifier = () => z.string().trim().min(1).max(128);
export const isoDateTime = () => z.iso.datetime({ offset: true });
export const isoDate = () => z.iso.date();
export const score = () => z.int().min(1).max(5);
export const amount = () => z.number().nonnegative();
export const textList = (max = 50, itemMax = 500) => z.array(text(itemMax)).max(max);
/** Decision ids a guarded change cites (rule 3). */
export const approvals = () => z.array(identifier()).max(20).optional();
