import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/**
 * Runs a compiled CLI (`dist/apps/cli/src/<script>.js`) with DATA_DIR, its output (stdout and
 * stderr) collected. Asynchronously: a blocked event loop would keep the HTTP client from noticing
 * that the service closed an idle keep-alive connection.
 */
export function cli(
  script: string,
  args: readonly string[],
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ status: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, `dist/apps/cli/src/${script}.js`), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', fail);
    child.once('close', (status) => done({ status, out }));
  });
}
