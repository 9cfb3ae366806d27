import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { eventHash } from '@ppl/event-store';
import { CHAIN_KINDS, chainOptionsOf, type ChainOptions } from '../integrity/chain-kind';
import {
  EXPORT_FORMAT,
  type ExportedEvent,
  type ExportHeader,
  type ExportLine,
} from './export-format';

/**
 * Checks an NDJSON export on its own, without the store: every line re-hashed from its
 * envelope and the two hashes it is chained to; each stream's chain complete from revision 0
 * and linked line to line; for a whole-store export the global chain linked line to line too;
 * the trailer's count and last hash. What it cannot tell alone: a tamperer who rewrote a whole
 * chain consistently. Compare the trailer's last hash (or any event's hash) with the live
 * store's (`verifyIntegrity` reports it) to close that.
 */
export interface ExportVerdict {
  readonly ok: boolean;
  readonly scope: string | null;
  readonly checked: number;
  readonly lastHash: string | null;
  readonly firstBroken: {
    readonly line: number;
    readonly streamId?: string;
    readonly revision?: number;
    readonly position?: number;
    readonly reason: string;
  } | null;
}

export function verifyExportLines(lines: Iterable<string>): ExportVerdict {
  const verifier = new ExportVerifier();
  for (const line of lines) if (!verifier.line(line)) break;
  return verifier.finish();
}

export async function verifyExport(file: string): Promise<ExportVerdict> {
  const verifier = new ExportVerifier();
  const reader = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  try {
    for await (const line of reader) if (!verifier.line(line)) break;
  } finally {
    reader.close();
  }
  return verifier.finish();
}

class ExportVerifier {
  private lineNo = 0;
  private header: ExportHeader | null = null;
  private chain: ChainOptions = chainOptionsOf('sqlite');
  private ended = false;
  private checked = 0;
  private lastHash: string | null = null;
  private lastPosition = Number.NEGATIVE_INFINITY;
  private readonly streams = new Map<string, { revision: number; hash: string }>();
  private failure: ExportVerdict['firstBroken'] = null;

  line(text: string): boolean {
    this.lineNo++;
    if (text.trim() === '') return true;
    const fail = (reason: string, event?: ExportedEvent): false => {
      this.failure = {
        line: this.lineNo,
        reason,
        ...(event
          ? { streamId: event.streamId, revision: event.revision, position: event.position }
          : {}),
      };
      return false;
    };
    let parsed: ExportLine;
    try {
      parsed = JSON.parse(text) as ExportLine;
    } catch {
      return fail('not JSON');
    }
    if (this.ended) return fail('a line after the trailer');
    if (this.header === null) {
      if (parsed.kind !== 'header' || parsed.format !== EXPORT_FORMAT)
        return fail(`the first line is not a ${EXPORT_FORMAT} header`);
      const kind = parsed.chain ?? 'sqlite';
      if (!CHAIN_KINDS.includes(kind)) return fail(`unknown hash chain "${String(kind)}"`);
      this.chain = chainOptionsOf(kind);
      this.header = parsed;
      return true;
    }
    switch (parsed.kind) {
      case 'header':
        return fail('a second header');
      case 'end':
        this.ended = true;
        if (parsed.count !== this.checked)
          return fail(`the trailer counts ${parsed.count} events, the file holds ${this.checked}`);
        if (parsed.lastHash !== this.lastHash)
          return fail('the trailer’s last hash is not the last event’s');
        return true;
      case 'event':
        return this.event(parsed, fail);
      default:
        return fail('unknown line kind');
    }
  }

  private event(e: ExportedEvent, fail: (reason: string, event?: ExportedEvent) => false): boolean {
    const scope = this.header?.scope ?? 'all';
    if (scope !== 'all' && e.streamId !== scope)
      return fail(`an event of ${e.streamId} in an export of ${scope}`, e);
    if (!(e.position > this.lastPosition))
      return fail(`position ${e.position} does not increase`, e);
    const stream = this.streams.get(e.streamId);
    const expected = stream ? stream.revision + 1 : 0;
    if (e.revision !== expected)
      return fail(
        `revision ${e.revision} where ${expected} was expected: events are missing or reordered`,
        e,
      );
    if (e.prevStreamHash !== (stream?.hash ?? ''))
      return fail('not chained to the previous event of its stream', e);
    if (this.chain.globalChain === false) {
      if (e.prevGlobalHash !== '') return fail('a global link in an export of a chain without one', e);
    } else if (scope === 'all' && e.prevGlobalHash !== (this.lastHash ?? ''))
      return fail('not chained to the previous event of the global order', e);
    const recomputed = eventHash(
      {
        id: e.id,
        streamId: e.streamId,
        revision: e.revision,
        position: this.chain.positionsHashed === false ? -1 : e.position,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
        recordedAt: e.recordedAt,
      },
      e.prevStreamHash,
      e.prevGlobalHash,
    );
    if (recomputed !== e.hash) return fail('hash does not match the event and its predecessors', e);
    this.streams.set(e.streamId, { revision: e.revision, hash: e.hash });
    this.lastHash = e.hash;
    this.lastPosition = e.position;
    this.checked++;
    return true;
  }

  finish(): ExportVerdict {
    const scope = this.header?.scope ?? null;
    if (this.failure)
      return { ok: false, scope, checked: this.checked, lastHash: null, firstBroken: this.failure };
    if (this.header === null)
      return {
        ok: false,
        scope,
        checked: 0,
        lastHash: null,
        firstBroken: { line: this.lineNo, reason: 'empty file: no header' },
      };
    if (!this.ended)
      return {
        ok: false,
        scope,
        checked: this.checked,
        lastHash: null,
        firstBroken: { line: this.lineNo, reason: 'no trailer: the export is truncated' },
      };
    return { ok: true, scope, checked: this.checked, lastHash: this.lastHash, firstBroken: null };
  }
}
