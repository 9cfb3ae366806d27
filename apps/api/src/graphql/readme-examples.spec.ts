import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { schemaFilePath } from './schema-file';

/** The README's GraphQL examples are what a newcomer copies first: they must run as written. */
describe('the README’s GraphQL examples', () => {
  const schema = buildSchema(readFileSync(schemaFilePath(), 'utf8'));
  const readme = readFileSync(join(dirname(schemaFilePath()), '..', '..', 'README.md'), 'utf8');
  const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] as string);

  it('has examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples.filter((e) => !/^\s*(type|input|enum|scalar|extend) /.test(e)).map((e, i) => [i, e]))(
    'example %i validates against apps/api/schema.graphql',
    (_i, example) => {
      expect(validate(schema, parse(example as string)).map((e) => e.message)).toEqual([]);
    },
  );
});
