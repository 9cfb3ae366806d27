// Child process of libs/event-store/src/sqlite/sqlite-crash.int.spec.ts: appends to the COMPILED
// SQLite event store as fast as it can until it is killed, printing one line per acknowledged
// append: `ACK {"s":stream,"r":lastRevision,"p":position,"n":eventCount}`.
// Usage: node append-until-killed.js <db path> <normal|full> [workers]
'use strict';
const path = require('node:path');
const { createHash } = require('node:crypto');

const compiled = path.resolve(__dirname, '../../dist/libs/event-store/src/sqlite/sqlite-event-store.js');
let SqliteEventStore;
try {
  ({ SqliteEventStore } = require(compiled));
} catch (error) {
  process.stderr.write(`Cannot load ${compiled}: run \`npm run build\` first (${error.message})\n`);
  process.exit(2);
}

const [dbPath, durability = 'full', workersArg = '4'] = process.argv.slice(2);
const workers = Number(workersArg);
const streamsPerWorker = 3;

/** Deterministic id of the event at (stream, revision): UUID v5-shaped sha1 of the name. */
function idFor(stream, revision) {
  const hex = createHash('sha1').update(`${stream}:${revision}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function eventAt(stream, revision) {
  return {
    id: idFor(stream, revision),
    type: revision % 2 === 0 ? 'CrashTestEven' : 'CrashTestOdd',
    schemaVersion: 1,
    data: { stream, revision, pad: 'x'.repeat(revision % 97) },
    metadata: { commandId: idFor(stream, -revision - 1) },
  };
}

async function main() {
  const store = new SqliteEventStore({ path: dbPath, durability });
  const last = new Map();
  for (let w = 0; w < workers; w++) {
    for (let s = 0; s < streamsPerWorker; s++) {
      const stream = `crash-w${w}-s${s}`;
      const [tail] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      last.set(stream, tail ? tail.revision : -1);
    }
  }
  process.stdout.write('READY\n');
  let step = 0;
  const worker = async (w) => {
    for (;;) {
      step++;
      const stream = `crash-w${w}-s${step % streamsPerWorker}`;
      const from = last.get(stream);
      const size = step % 3 === 0 ? 1 + (step % 4) : 1;
      const events = Array.from({ length: size }, (_, i) => eventAt(stream, from + 1 + i));
      const result = await store.append(stream, events, { expectedRevision: from < 0 ? 'no_stream' : from });
      last.set(stream, result.nextExpectedRevision);
      process.stdout.write(
        `ACK ${JSON.stringify({ s: stream, r: result.nextExpectedRevision, p: result.position, n: size })}\n`,
      );
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
