import { readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { commandSchemas } from '@ppl/domain';
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
});
