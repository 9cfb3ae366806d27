import { z } from 'zod';

/**
 * Building blocks of the runtime schemas. Strings are trimmed and bounded so that a GraphQL
 * input reports a field path instead of storing a blank or a novel.
 */
export const text = (max = 2000) => z.string().trim().min(1).max(max);
export const name = () => text(200);
export const identifier = () => z.string().trim().min(1).max(128);
export const isoDateTime = () => z.iso.datetime({ offset: true });
export const isoDate = () => z.iso.date();
export const score = () => z.int().min(1).max(5);
export const amount = () => z.number().nonnegative();
export const textList = (max = 50, itemMax = 500) => z.array(text(itemMax)).max(max);
/** Decision ids a guarded change cites (rule 3). */
export const approvals = () => z.array(identifier()).max(20).optional();
