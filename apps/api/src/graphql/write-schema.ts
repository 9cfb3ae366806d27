import { writeFileSync } from 'node:fs';
import { buildSchemaSource } from './schema-source';
import { schemaFilePath } from './schema-file';

/** `npm run schema:write`: regenerates the committed contract `apps/api/schema.graphql`. */
const path = schemaFilePath();
writeFileSync(path, buildSchemaSource());
process.stdout.write(`wrote ${path}\n`);
