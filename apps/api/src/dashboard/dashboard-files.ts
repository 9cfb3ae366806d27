import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The built board page, `apps/dashboard/dist`, found from source or from `dist/` the way
 * `schemaFilePath()` finds the contract: walk up to the directory holding `apps/api/schema.graphql`.
 */
export function dashboardDistPath(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'apps', 'api', 'schema.graphql'))) return join(dir, 'apps', 'dashboard', 'dist');
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), 'apps', 'dashboard', 'dist');
    dir = parent;
  }
}
