/**
 * Which fields of an event are personal data, and whose: the names of delegates and network-role
 * holders, and the texts of INDIVIDUAL interests (a delegate's own convictions). The command side
 * seals each with its person's key before appending; forgetting the person destroys the key.
 * Organisations, strategies and partnership records carry no personal data of their own.
 *
 * Pure: the event and, for a revision, the folded partnership state before it (the revision does
 * not say which kind of interest it revises, nor whose it is).
 */
import type { InterestState } from '../partnership/partnership.state';

/** What a personal field reads as once its person is forgotten, or to a caller who may not read it. */
export const REDACTED = '[redacted]';

/** A path into the event's data (`['leadParty', 'delegate', 'name']`) and the person it belongs to. */
export interface PersonalField {
  readonly path: readonly string[];
  /** Null when the owner cannot be told (a revision read without the state it revises). */
  readonly personId: string | null;
}

/** The texts of an interest that are personal when the interest is INDIVIDUAL. */
export const PERSONAL_INTEREST_TEXTS = ['description', 'position', 'lossIfNoCollaboration'] as const;

type Data = Record<string, unknown>;
const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

function delegateName(data: Data, path: readonly string[]): PersonalField[] {
  let at: unknown = data;
  for (const key of path) at = isObject(at) ? at[key] : undefined;
  if (!isObject(at) || typeof at.name !== 'string') return [];
  return [{ path: [...path, 'name'], personId: typeof at.personId === 'string' ? at.personId : null }];
}

function interestTexts(data: Data, personId: string | null): PersonalField[] {
  return PERSONAL_INTEREST_TEXTS.filter((key) => typeof data[key] === 'string').map((key) => ({ path: [key], personId }));
}

/** What the folded state before an event must offer for its personal fields to be found. */
export interface PersonalFieldsState {
  readonly interests?: readonly Pick<InterestState, 'interestId' | 'kind' | 'declaredByDelegate'>[];
}

/**
 * The personal fields of one event. Without `stateBefore` (a reader that does not fold), every
 * text of an InterestRevised counts as personal with an unknown owner: the safe side.
 */
export function personalFieldsOf(type: string, data: unknown, stateBefore?: PersonalFieldsState | null): PersonalField[] {
  if (!isObject(data)) return [];
  switch (type) {
    case 'PartnershipProposed':
      return delegateName(data, ['leadParty', 'delegate']);
    case 'PartyAdmitted':
      return delegateName(data, ['delegate']);
    case 'DelegateReplaced':
      return [...delegateName(data, ['previous']), ...delegateName(data, ['delegate'])];
    case 'NetworkRoleAssigned':
      return delegateName(data, ['person']);
    case 'InterestDeclared':
      return data.kind === 'INDIVIDUAL' ? interestTexts(data, typeof data.declaredByDelegate === 'string' ? data.declaredByDelegate : null) : [];
    case 'InterestRevised': {
      if (!stateBefore) return interestTexts(data, null);
      const interest = stateBefore.interests?.find((i) => i.interestId === data.interestId);
      return interest?.kind === 'INDIVIDUAL' ? interestTexts(data, interest.declaredByDelegate) : [];
    }
    default:
      return [];
  }
}

/** A copy of `data` with the value at each personal field's path replaced by `replace(value, field)`. */
export function mapPersonalFields(
  data: unknown,
  fields: readonly PersonalField[],
  replace: (value: string, field: PersonalField) => string,
): unknown {
  if (fields.length === 0 || !isObject(data)) return data;
  const copy = structuredCloneData(data);
  for (const field of fields) {
    let parent: unknown = copy;
    for (const key of field.path.slice(0, -1)) parent = isObject(parent) ? parent[key] : undefined;
    const last = field.path[field.path.length - 1] as string;
    if (isObject(parent) && typeof parent[last] === 'string') parent[last] = replace(parent[last] as string, field);
  }
  return copy;
}

/** JSON data copied (no structuredClone: the domain keeps to the language). */
function structuredCloneData(data: Data): Data {
  return JSON.parse(JSON.stringify(data)) as Data;
}
