import type { EventStore, RecordedEvent } from '@ppl/event-store';
import { chainOptionsOf, type ChainKind } from '../integrity/chain-kind';
import { partnershipStreamOf } from '../recorded';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  csvHeader,
  csvRow,
  exportedEvent,
  type ExportHeader,
  type ExportTrailer,
} from './export-format';

export interface ExportOptions {
  /** Omit for the whole store. */
  readonly partnershipId?: string;
  readonly format: 'ndjson' | 'csv';
  readonly exportedAt: string;
  /** The store's hash chain (see chain-kind.ts). Default 'sqlite'. */
  readonly chain?: ChainKind;
  readonly pageSize?: number;
  /** Called per page read: events read so far, events exported so far, the store's head. */
  readonly onProgress?: (read: number, exported: number, head: number) => void;
  /**
   * Opens the personal fields sealed in an event's data (or `[redacted]`): returns the data
   * unchanged when there are none. Without it, the export holds the stored data only.
   */
  readonly reveal?: (data: unknown) => Promise<unknown>;
  /**
   * Resuming: the lines up to and including the event at this position (and the header) were
   * written before. They are read again — each line's hashes chain to the events before it — but
   * not yielded; the trailer still counts them. -1: only the header was written.
   */
  readonly writtenThrough?: number;
  /** Aborted: stop at the next page, without the trailer (the export is not whole). */
  readonly signal?: AbortSignal;
}

/**
 * The export's lines, in global order. The whole global order is read even for one
 * partnership: each exported event carries the hash of the event before it in the global order,
 * which is what its own hash covers.
 */
export async function* exportLines(
  store: EventStore,
  options: ExportOptions,
): AsyncGenerator<string> {
  const scope =
    options.partnershipId === undefined ? 'all' : partnershipStreamOf(options.partnershipId);
  const pageSize = options.pageSize ?? 1000;
  const chain = options.chain ?? 'sqlite';
  const globalChain = chainOptionsOf(chain).globalChain !== false;
  const head = await store.headPosition();
  const resuming = options.writtenThrough !== undefined;
  const writtenThrough = options.writtenThrough ?? -1;
  // Resuming, the header is in the file already.
  if (!resuming && options.format === 'ndjson') {
    const header: ExportHeader = {
      kind: 'header',
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      scope,
      exportedAt: options.exportedAt,
      chain,
    };
    yield JSON.stringify(header);
  } else if (!resuming) {
    yield csvHeader();
  }
  const streamHashes = new Map<string, string>();
  let prevGlobalHash = '';
  let read = 0;
  let count = 0;
  let lastHash: string | null = null;
  let after: number | undefined;
  for (;;) {
    // The embedded store answers synchronously: let signals (Ctrl-C) in between pages.
    await new Promise((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) return;
    const page = await store.readAll({ after, maxCount: pageSize });
    for (const event of page) {
      const prevStreamHash = streamHashes.get(event.streamId) ?? '';
      if (scope === 'all' || event.streamId === scope) {
        if (event.position > writtenThrough || !resuming) {
          const readable = options.reveal ? await options.reveal(event.data) : undefined;
          const line = exportedEvent(event, prevStreamHash, globalChain ? prevGlobalHash : '', readable);
          yield options.format === 'ndjson' ? JSON.stringify(line) : csvRow(line);
        }
        count++;
        lastHash = event.hash ?? '';
      }
      streamHashes.set(event.streamId, event.hash ?? '');
      prevGlobalHash = event.hash ?? '';
    }
    read += page.length;
    options.onProgress?.(read, count, head);
    if (page.length < pageSize) break;
    after = (page[page.length - 1] as RecordedEvent).position;
  }
  if (options.format === 'ndjson') {
    const trailer: ExportTrailer = { kind: 'end', count, lastHash };
    yield JSON.stringify(trailer);
  }
}
