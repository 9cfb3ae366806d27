import { REDACTED, mapPersonalFields, personalFieldsOf } from '@ppl/domain';

/**
 * What a caller who may not read personal data (INTEGRATOR, see `mayReadPersonalData`) sees
 * instead: the domain's personal fields (`personalFieldsOf`, the same map the command side seals
 * by) are replaced: delegates' and network-role holders' names, and the texts of INDIVIDUAL
 * interests (a delegate's own convictions). Ids stay, so integrations still join.
 *
 * An InterestRevised event does not say which kind of interest it revises, so its texts are
 * withheld whatever the kind (an ORGANISATIONAL revision's text is the price of never folding the
 * stream here). Every other event is passed on unchanged.
 */
export { REDACTED };

export function redactEventData(type: string, data: unknown): unknown {
  return mapPersonalFields(data, personalFieldsOf(type, data), () => REDACTED);
}
