/**
 * What a caller who may not read personal data (INTEGRATOR, see `mayReadPersonalData`) sees
 * instead: delegates' and network-role holders' names are replaced, and the texts of INDIVIDUAL
 * interests (a delegate's own convictions) are withheld. Ids stay, so integrations still join.
 *
 * An InterestRevised event does not say which kind of interest it revises, so its texts are
 * withheld whatever the kind (an ORGANISATIONAL revision's text is the price of never folding the
 * stream here). Every other event is passed on unchanged.
 */
export const REDACTED = '[redacted]';

type Data = Record<string, unknown>;

const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

function person(value: unknown): unknown {
  return isObject(value) ? { ...value, name: REDACTED } : value;
}

const INTEREST_TEXTS = ['description', 'position', 'lossIfNoCollaboration'] as const;

function withoutTexts(data: Data): Data {
  const out: Data = { ...data };
  for (const key of INTEREST_TEXTS) if (typeof out[key] === 'string') out[key] = REDACTED;
  return out;
}

export function redactEventData(type: string, data: unknown): unknown {
  if (!isObject(data)) return data;
  switch (type) {
    case 'PartnershipProposed':
      return isObject(data.leadParty) ? { ...data, leadParty: { ...data.leadParty, delegate: person(data.leadParty.delegate) } } : data;
    case 'PartyAdmitted':
      return { ...data, delegate: person(data.delegate) };
    case 'DelegateReplaced':
      return { ...data, previous: person(data.previous), delegate: person(data.delegate) };
    case 'NetworkRoleAssigned':
      return { ...data, person: person(data.person) };
    case 'InterestDeclared':
      return data.kind === 'INDIVIDUAL' ? withoutTexts(data) : data;
    case 'InterestRevised':
      return withoutTexts(data);
    default:
      return data;
  }
}
