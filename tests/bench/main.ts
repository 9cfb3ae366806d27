/**
 * `npm run bench -- <name> [args]` runs tests/bench/<name>.bench.ts (compiled to dist/).
 * Each bench prints human-readable lines; this runner prints its figures as one JSON object,
 * always the LAST line of the output.
 */
import { readdirSync } from 'node:fs';

interface BenchModule {
  run(args: readonly string[]): Promise<Record<string, unknown>>;
}

const SUFFIX = /\.bench\.(js|ts)$/;

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const available = readdirSync(__dirname)
    .filter((file) => SUFFIX.test(file))
    .map((file) => file.replace(SUFFIX, ''))
    .sort();
  if (!name || !available.includes(name)) {
    console.error(`${name ? `Unknown bench "${name}". ` : ''}Usage: npm run bench -- <name> [args]`);
    console.error(`Available: ${available.join(', ')}`);
    process.exitCode = 1;
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bench = require(`./${name}.bench`) as BenchModule;
  const started = Date.now();
  const figures = await bench.run(args);
  console.log(JSON.stringify({ bench: name, node: process.version, seconds: (Date.now() - started) / 1000, ...figures }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
