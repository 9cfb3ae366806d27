#!/usr/bin/env node
/**
 * An integrator's client for the partnership ledger's event feed, in plain Node.
 *
 *   npm install graphql-ws ws
 *   node examples/subscribe-events.js [ws://localhost:4000/graphql] [cursor-file]
 *
 * Prints every event in the store's global order, and remembers the cursor of the last event it
 * processed in a file. Kill it at any moment (Ctrl-C, kill -9, a deploy of the service): run it
 * again and it continues after that cursor, nothing missed. A kill between handling an event and
 * saving its cursor hands that one event again: make your handling idempotent by the event's id
 * (or save the cursor in the same transaction as what you do with the event).
 *
 * LEDGER_TOKEN is the bearer token it signs in with (on the embedded default:
 *   LEDGER_TOKEN=$(npm run --silent token -- --role INTEGRATOR --sub warehouse)).
 * FILTER (JSON) narrows the feed, e.g. FILTER='{"types":["EscalationRaised"]}'.
 */
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');

const url = process.argv[2] || 'ws://localhost:4000/graphql';
const cursorFile = process.argv[3] || 'ledger-cursor.txt';
const filter = process.env.FILTER ? JSON.parse(process.env.FILTER) : null;
const token = process.env.LEDGER_TOKEN;
if (!token) {
  console.error('Set LEDGER_TOKEN to a bearer token (npm run token -- --role INTEGRATOR --sub <id>)');
  process.exit(2);
}

const EVENTS = `subscription ($after: SafeInt, $filter: EventStreamFilter) {
  events(after: $after, filter: $filter) {
    cursor
    event { id streamId type revision recordedAt data metadata { commandId businessTime actor { id } } }
  }
}`;

function loadCursor() {
  try {
    const text = readFileSync(cursorFile, 'utf8').trim();
    return text === '' ? null : Number(text);
  } catch {
    return null; // first run: from the beginning
  }
}

/** Write-then-rename: a crash leaves either the old or the new cursor, never half a file. */
function saveCursor(cursor) {
  writeFileSync(`${cursorFile}.tmp`, String(cursor));
  renameSync(`${cursorFile}.tmp`, cursorFile);
}

/** Your work. Make it idempotent or commit it together with the cursor for exactly-once. */
function handle(event) {
  console.log(`${event.recordedAt} ${event.streamId}@${event.revision} ${event.type}`);
}

async function main() {
  // retryAttempts: 0 — reconnecting is done below, with the cursor of the last processed event.
  // graphql-ws's own retry would resubscribe with the variables of the first attempt.
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  let delay = 500;
  for (;;) {
    let cursor = loadCursor();
    try {
      const feed = client.iterate({ query: EVENTS, variables: { after: cursor, filter } });
      for await (const result of feed) {
        if (result.errors) throw Object.assign(new Error('subscription error'), { errors: result.errors });
        const { cursor: next, event } = result.data.events;
        if (cursor !== null && next <= cursor) continue; // defensive: never process twice
        handle(event);
        saveCursor(next);
        cursor = next;
        delay = 500;
      }
      console.error('feed completed; resubscribing');
    } catch (error) {
      // Retrying cannot help: a token refused or expired (4401), a role without access, a bad filter.
      const codes = (error && error.errors ? error.errors : []).map((e) => e.extensions && e.extensions.code);
      if ((error && error.code === 4401) || codes.some((code) => code === 'FORBIDDEN' || code === 'VALIDATION_FAILED')) {
        console.error(`refused (${error.code === 4401 ? `close 4401 ${error.reason || ''}` : JSON.stringify(error.errors)}): set a valid LEDGER_TOKEN and filter, then run again`);
        process.exit(2);
      }
      // A CloseEvent (code 1001 restart, 4008 SLOW_CONSUMER, 4000 idle, 1006 network) or
      // GraphQL errors (e.g. extensions.code SERVICE_UNAVAILABLE). Either way: resume from the file.
      const detail = error && (error.code ? `close ${error.code} ${error.reason || ''}` : JSON.stringify(error.errors || error.message || error));
      console.error(`disconnected (${detail}); resuming after cursor ${loadCursor()} in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
