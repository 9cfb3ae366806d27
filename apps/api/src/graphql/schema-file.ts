import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The committed contract: `apps/api/schema.graphql`, found from source or from `dist/`. */
export function schemaFilePath(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'apps', 'api', 'schema.graphql');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('apps/api/schema.graphql not found above ' + __dirname);
    dir = parent;
  }
}

export function readSchemaFile(): string {
  return readFileSync(schemaFilePath(), 'utf8');
}
