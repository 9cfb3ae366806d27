import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as domain from '@ppl/domain';
import { COMMAND_DESCRIPTIONS, COMMAND_TYPES, optionalPathsOf } from '@ppl/commands';
import { generateCommandSdl } from './command-sdl';
import { schemaFilePath } from './schema-file';

/**
 * The whole contract: the hand-written parts under `sdl/` (queries, results, subscriptions)
 * followed by what is generated from the domain's command schemas. `npm run schema:write`
 * writes it to `apps/api/schema.graphql`; a test fails when the committed file differs.
 */
export function buildSchemaSource(
  sdlDir: string = join(dirname(schemaFilePath()), 'src', 'graphql', 'sdl'),
): string {
  const handWritten = readdirSync(sdlDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(join(sdlDir, f), 'utf8').trim());
  const commands = Object.fromEntries(COMMAND_TYPES.map((t) => [t, domain.commandSchemas[t]]));
  const generated = generateCommandSdl({
    commands,
    namedSchemas: domain as unknown as Record<string, unknown>,
    optionalPaths: (t) => optionalPathsOf(t as domain.CommandType),
    omitted: ['type'],
    describe: (t) => COMMAND_DESCRIPTIONS[t as domain.CommandType],
  });
  return `${[...handWritten, generated].join('\n\n')}\n`;
}
