import { readFileSync } from 'node:fs';
import { GraphQLEnumType, buildSchema, parse } from 'graphql';
import { BODIES, ESCALATION_LEVELS, PERSPECTIVES, SHAM_SIGNALS, TRIGGERS, commandSchemas } from '@ppl/domain';
import { buildSchemaSource } from './schema-source';
import { schemaFilePath } from './schema-file';
import { mutationName } from './command-sdl';

describe('the committed GraphQL contract (apps/api/schema.graphql)', () => {
  const committed = readFileSync(schemaFilePath(), 'utf8');

  it('is exactly what the code generates: run `npm run schema:write` after changing a command', () => {
    expect(committed).toBe(buildSchemaSource());
  });

  it('is a valid schema with one mutation per domain command', () => {
    const schema = buildSchema(committed);
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {}).sort();
    expect(mutations).toEqual(Object.keys(commandSchemas).map(mutationName).sort());
  });

  it('names every mutation of PRODUCT.md’s contract', () => {
    const contract = [
      'registerOrganization', 'defineStrategy', 'setEscalationRule', 'removeEscalationRule', 'assessCapability',
      'proposePartnership', 'admitParty', 'withdrawParty', 'replaceDelegate', 'assignNetworkRole', 'declareInterest',
      'reviseInterest', 'withdrawInterest', 'formulateAmbition', 'endorseAmbition', 'pledgeContribution',
      'reportContributionDelivered', 'defineGovernance', 'changeScope', 'advancePhase', 'revertPhase',
      'requestApproval', 'recordDecision', 'markConditionMet', 'acknowledgeEscalation', 'flagValueAtRisk',
      'recordAssessment', 'reportGoalProgress', 'recordEvaluation', 'reviewPartnership', 'endPartnership',
    ];
    const fields = Object.keys(buildSchema(committed).getMutationType()?.getFields() ?? {});
    expect(fields).toEqual(expect.arrayContaining(contract));
    expect(parse(committed).definitions.length).toBeGreaterThan(contract.length);
  });

  it('types the domain’s vocabularies as enums, with exactly the domain’s values', () => {
    const schema = buildSchema(committed);
    const values = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);
    expect(values('SignalCode')).toEqual([...SHAM_SIGNALS, 'IMBALANCE']);
    expect(values('Perspective')).toEqual([...PERSPECTIVES]);
    expect(values('HealthSource')).toEqual(['JOINT', 'PARTIES', 'NONE']);
    expect(values('Trigger')).toEqual([...TRIGGERS]);
    expect(values('Body')).toEqual([...BODIES]);
    expect(values('EscalationLevel')).toEqual([...ESCALATION_LEVELS]);
  });
});
