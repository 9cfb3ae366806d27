import type { GraphQLClient } from './graphql-client';

export interface RecordedEventView {
  id: string;
  type: string;
  revision: number;
  position: number;
  data: Record<string, unknown>;
  metadata: { commandId: string; correlationId: string; actor: { id: string; role?: string | null }; businessTime: string };
}

export interface CommandResultView {
  streamId: string;
  revision: number;
  position: number;
  commandId: string;
  duplicate: boolean;
  mintedIds: Record<string, string>;
  events: RecordedEventView[];
}

export interface MutationOptions {
  commandId?: string;
  expectedRevision?: number;
  businessTime?: string;
  headers?: Record<string, string>;
}

export interface Refusal {
  message: string;
  extensions: { code: string; unmet?: { condition: string; detail?: string }[]; fields?: { path: string; message: string }[] } & Record<string, unknown>;
}

const RESULT = `streamId revision position commandId duplicate mintedIds
  events { id type revision position data metadata { commandId correlationId businessTime actor { id role } } }`;

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Drives the ledger's mutations as an integrator would, over GraphQL. */
export class Ledger {
  constructor(private readonly client: GraphQLClient) {}

  async attempt(mutation: string, input: Record<string, unknown>, options: MutationOptions = {}) {
    const query = `mutation($input: ${upperFirst(mutation)}Input!, $commandId: ID, $expectedRevision: Int, $businessTime: DateTime) {
      result: ${mutation}(input: $input, commandId: $commandId, expectedRevision: $expectedRevision, businessTime: $businessTime) { ${RESULT} }
    }`;
    const { headers, ...vars } = options;
    const res = await this.client.request<{ result: CommandResultView }>(query, { input, ...vars }, headers);
    return { result: res.data?.result ?? null, errors: (res.errors ?? []) as Refusal[], status: res.status };
  }

  /** Runs a mutation that must succeed. */
  async run(mutation: string, input: Record<string, unknown>, options: MutationOptions = {}): Promise<CommandResultView> {
    const { result, errors } = await this.attempt(mutation, input, options);
    if (!result) throw new Error(`${mutation} refused: ${JSON.stringify(errors)}`);
    return result;
  }

  /** Runs a mutation that must be refused; returns the refusal. */
  async refused(mutation: string, input: Record<string, unknown>, options: MutationOptions = {}): Promise<Refusal> {
    const { result, errors } = await this.attempt(mutation, input, options);
    if (result || errors.length === 0) throw new Error(`${mutation} was expected to be refused but recorded ${JSON.stringify(result)}`);
    return errors[0] as Refusal;
  }
}

/**
 * A valid `proposePartnership` input: a chain chosen for a complex problem, complementary and
 * cooperative. A test gives what it cares about (ids, name, department, lead party, …) in `fields`.
 */
export function proposal(fields: {
  owningDepartmentId: string;
  leadParty: { organisationId: string; delegate: { personId: string; name: string } };
  [field: string]: unknown;
}): Record<string, unknown> {
  return {
    name: 'Network',
    themeId: 'work',
    description: 'Guidance to work together.',
    purposeType: 'CHAIN',
    origin: { kind: 'CHOSEN' },
    motives: ['COMPLEX_PROBLEM'],
    quadrant: { relation: 'COOPERATIVE', resources: 'COMPLEMENTARY' },
    valueForHome: 'value for us',
    valueForPartnership: 'value for all',
    ...fields,
  };
}
