import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crashTestEventId } from '../../../../tests/support/crash-ids';
import { verifyHashChain } from '../hash-chain';
import type { RecordedEvent } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';
import type { SqliteDurability } from './schema';

/**
 * kill -9 in the middle of appending: every acknowledged append must be there afterwards, in
 * order, whole, with the hash chain intact, and the store must accept appends again.
 * The child runs the COMPILED adapter (dist/), as a deployment would.
 */
const repo = resolve(__dirname, '../../../..');
const script = join(repo, 'tests/support/append-until-killed.js');
const compiled = join(repo, 'dist/libs/event-store/src/sqlite/sqlite-event-store.js');
const root = mkdtempSync(join(tmpdir(), 'ppl-sqlite-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Ack {
  readonly s: string;
  readonly r: number;
  readonly p: number;
  readonly n: number;
}

const ROUNDS = 3;
const CHECK_STREAM = 'crash-check';

describe('SQLite event store survives kill -9', () => {
  it('finds the compiled adapter in dist/ (run `npm run build` first)', () => {
    if (!existsSync(compiled)) {
      throw new Error(`${compiled} is missing: run \`npm run build\` before this test (npm test does).`);
    }
    const newestSource = newestMtime(resolve(__dirname, '..'));
    if (statSync(compiled).mtimeMs + 1000 < newestSource) {
      throw new Error(`${compiled} is older than libs/event-store/src: run \`npm run build\` again.`);
    }
  });

  for (const durability of ['normal', 'full'] as const) {
    it(`keeps every acknowledged append over ${ROUNDS} kills (durability ${durability})`, async () => {
      if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run \`npm run build\` first.`);
      const path = join(root, durability, 'events.db');
      let acknowledged = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const acks = await appendUntilKilled(path, durability, Math.floor(Math.random() * 1300));
        expect(acks.length).toBeGreaterThan(0);
        acknowledged += acks.length;
        const started = Date.now();
        const stored = await verifyStore(path, acks);
        console.log(`${durability} round ${round + 1}: ${acks.length} acknowledged appends, ${stored} events stored, verified in ${Date.now() - started} ms`);
      }
      expect(acknowledged).toBeGreaterThan(ROUNDS);
    }, 30_000);
  }
});

/** Acknowledged appends the appender must have reported before the kill's countdown starts. */
const MIN_ACKS = 20;

/**
 * Runs the appender and kills it (-9) `killAfterMs` after it reported MIN_ACKS acknowledged
 * appends: a count, then a random delay, not a duration from its start (a loaded machine may
 * acknowledge nothing for a while, above all with durability full).
 */
function appendUntilKilled(path: string, durability: SqliteDurability, killAfterMs: number): Promise<Ack[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, path, durability, '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let acks = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      acks += chunk.split('ACK ').length - 1;
      if (!timer && acks >= MIN_ACKS) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const guard = setTimeout(() => child.kill('SIGKILL'), 8000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      if (signal !== 'SIGKILL' || !timer) {
        reject(new Error(`The appender ended by itself or reported fewer than ${MIN_ACKS} appends in 8 s (code ${String(code)}, signal ${String(signal)}, ${acks} acknowledged): ${stderr}`));
        return;
      }
      // Only complete lines: the kill may cut the last one.
      const lines = stdout.split('\n').slice(0, -1);
      resolvePromise(lines.filter((line) => line.startsWith('ACK ')).map((line) => JSON.parse(line.slice(4)) as Ack));
    });
  });
}

async function verifyStore(path: string, acks: readonly Ack[]): Promise<number> {
  const store = new SqliteEventStore({ path });
  try {
    const all = await store.readAll();
    const chain = verifyHashChain(all);
    expect(chain).toMatchObject({ ok: true, checked: all.length });

    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of all) {
      const events = byStream.get(event.streamId) ?? [];
      events.push(event);
      byStream.set(event.streamId, events);
    }
    // Plain comparisons collected into one assertion: an expect() per event is too slow here.
    const problems: string[] = [];
    const problem = (message: string): void => {
      if (problems.length < 10) problems.push(message);
    };
    // Nothing torn: every stored event is exactly what the appender wrote at that revision.
    for (const [stream, events] of byStream) {
      events.forEach((event, revision) => {
        if (event.revision !== revision) problem(`${stream}: revision ${event.revision} at index ${revision}`);
        if (event.id !== crashTestEventId(stream, revision)) problem(`${stream}@${revision}: id ${event.id}`);
        const data = event.data as { stream?: unknown; revision?: unknown; pad?: unknown } | null;
        if (
          stream !== CHECK_STREAM &&
          (data?.stream !== stream || data.revision !== revision || data.pad !== 'x'.repeat(revision % 97))
        ) {
          problem(`${stream}@${revision}: data ${JSON.stringify(event.data)}`);
        }
      });
    }
    // Every acknowledged append is there, at the revisions and position it was acknowledged with.
    let previous = 0;
    for (const ack of acks) {
      const events = byStream.get(ack.s) ?? [];
      if (events.length <= ack.r) problem(`acknowledged ${ack.s}@${ack.r} is missing (stream has ${events.length})`);
      else if (events[ack.r].position !== ack.p) problem(`${ack.s}@${ack.r}: position ${events[ack.r].position}, acknowledged ${ack.p}`);
      if (ack.p <= previous) problem(`acknowledged positions out of order: ${ack.p} after ${previous}`);
      previous = ack.p;
    }
    expect(problems).toEqual([]);
    // And the store goes on.
    const checks = byStream.get(CHECK_STREAM)?.length ?? 0;
    const reopened = { id: crashTestEventId(CHECK_STREAM, checks), type: 'Reopened', schemaVersion: 1, data: null, metadata: {} };
    const result = await store.append(CHECK_STREAM, [reopened], { expectedRevision: checks === 0 ? 'no_stream' : checks - 1 });
    expect(result.position).toBe(all[all.length - 1].position + 1);
    return all.length;
  } finally {
    await store.close();
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}
