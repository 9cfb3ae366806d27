import { createWriteStream, existsSync, ftruncateSync, openSync, closeSync, readFileSync, readSync, renameSync, rmSync, fstatSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { EventStore } from '@ppl/event-store';
import { partnershipStreamOf } from '../recorded';
import type { ChainKind } from '../integrity/chain-kind';
import { exportLines, type ExportOptions } from './export-events';
import { csvHeader } from './export-format';

/**
 * An export written to a file, safe to interrupt: the lines go to `<out>.partial` (beside it,
 * `<out>.partial.json` says what is being exported), and only a complete export is renamed to
 * `<out>`, so an interrupted one never passes for a whole one. Interrupted (the signal, Ctrl-C)
 * it stops between two lines and keeps the partial file; a crash may leave half a line. Run again
 * with the same scope and format, it resumes: the torn tail is cut, the lines written are kept and
 * the export goes on right after the last one — the result is the file a single run writes.
 */
export interface ExportFileOptions extends Omit<ExportOptions, 'writtenThrough' | 'exportedAt'> {
  readonly out: string;
  /** When the export started (a resumed one keeps the time it started at). */
  readonly exportedAt: string;
  /** Discard an interrupted export of `out` and start over. */
  readonly fresh?: boolean;
  /** Aborted: stop between two lines, keep what is written. */
  readonly signal?: AbortSignal;
}

export interface ExportFileResult {
  readonly completed: boolean;
  /** Where the lines are: `out` once completed, else the partial file. */
  readonly path: string;
  /** Resumed an interrupted export (from `resumedAfter`, the position of its last line; -1: its header). */
  readonly resumed: boolean;
  readonly resumedAfter: number | null;
  /** Event lines this run wrote. */
  readonly written: number;
  /** The position of the last event line in the file (null: none yet). */
  readonly lastPosition: number | null;
}

/** What an interrupted export was exporting (the partial file's companion). */
interface PartialState {
  readonly scope: string;
  readonly format: 'ndjson' | 'csv';
  readonly chain: ChainKind;
  readonly exportedAt: string;
}

/** An interrupted export of another scope, format or chain lies where this one would resume. */
export class ExportResumeMismatchError extends Error {
  readonly code = 'EXPORT_RESUME_MISMATCH';
}

export const partialPathOf = (out: string): string => `${out}.partial`;
const statePathOf = (out: string): string => `${out}.partial.json`;

export async function exportToFile(store: EventStore, options: ExportFileOptions): Promise<ExportFileResult> {
  const partial = partialPathOf(options.out);
  const statePath = statePathOf(options.out);
  const wanted: PartialState = {
    scope: options.partnershipId === undefined ? 'all' : partnershipStreamOf(options.partnershipId),
    format: options.format,
    chain: options.chain ?? 'sqlite',
    exportedAt: options.exportedAt,
  };
  if (options.fresh) {
    rmSync(partial, { force: true });
    rmSync(statePath, { force: true });
  }
  let state = wanted;
  let writtenThrough: number | undefined;
  if (existsSync(partial)) {
    const found = readState(statePath, partial);
    if (found.scope !== wanted.scope || found.format !== wanted.format || found.chain !== wanted.chain) {
      throw new ExportResumeMismatchError(
        `${partial} is an interrupted export of ${found.scope} (${found.format}, chain ${found.chain}), not of ${wanted.scope} (${wanted.format}, chain ${wanted.chain}): run it with those options to resume it, or pass --fresh to discard it`,
      );
    }
    state = found;
    const last = cutTornTail(partial);
    if (last === null) {
      writtenThrough = undefined; // nothing whole was written: start the file again
    } else {
      const done = lastLineOf(last, found.format, partial);
      if (done === 'complete') return finish(options.out, partial, statePath, { resumed: true, resumedAfter: null, written: 0, lastPosition: null });
      writtenThrough = done;
    }
  } else {
    writeFileSync(statePath, `${JSON.stringify(wanted)}\n`);
  }

  const resuming = writtenThrough !== undefined;
  const file = createWriteStream(partial, { flags: resuming ? 'a' : 'w', encoding: 'utf8' });
  const closed = once(file, 'close');
  let written = 0;
  let lastPosition = resuming && writtenThrough !== undefined && writtenThrough >= 0 ? writtenThrough : null;
  let interrupted = false;
  try {
    for await (const line of exportLines(store, { ...options, exportedAt: state.exportedAt, writtenThrough })) {
      if (options.signal?.aborted) break;
      if (!file.write(`${line}\n`)) await once(file, 'drain');
      const position = positionOf(line, options.format);
      if (position !== null) {
        written++;
        lastPosition = position;
      }
    }
    // Aborted: the generator stopped early (no trailer) or the loop did; the export is not whole.
    interrupted = options.signal?.aborted === true;
  } finally {
    file.end();
    await closed;
  }
  const result = { resumed: resuming, resumedAfter: resuming ? (writtenThrough ?? null) : null, written, lastPosition };
  if (interrupted) return { ...result, completed: false, path: partial };
  return finish(options.out, partial, statePath, result);
}

function finish(out: string, partial: string, statePath: string, result: Omit<ExportFileResult, 'completed' | 'path'>): ExportFileResult {
  renameSync(partial, out);
  rmSync(statePath, { force: true });
  return { ...result, completed: true, path: out };
}

function readState(statePath: string, partial: string): PartialState {
  try {
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as PartialState;
    if (typeof state.scope === 'string' && (state.format === 'ndjson' || state.format === 'csv') && typeof state.exportedAt === 'string') {
      return { ...state, chain: state.chain ?? 'sqlite' };
    }
  } catch {
    // fall through
  }
  throw new ExportResumeMismatchError(`${partial} has no readable ${statePath}: it cannot be resumed; pass --fresh to discard it`);
}

/**
 * Cuts what follows the last newline (half a line a crash left) and returns the last whole
 * line, or null when the file holds none. Reads backwards from the end: a partial export may be
 * large.
 */
function cutTornTail(path: string): string | null {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const lineEnd = lastNewlineBefore(fd, size);
    if (lineEnd < 0) {
      ftruncateSync(fd, 0);
      return null;
    }
    if (lineEnd + 1 < size) ftruncateSync(fd, lineEnd + 1);
    const lineStart = lastNewlineBefore(fd, lineEnd) + 1;
    const line = Buffer.alloc(lineEnd - lineStart);
    readSync(fd, line, 0, line.length, lineStart);
    return line.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The offset of the last newline in bytes [0, end) of the file, or -1; read backwards in chunks. */
function lastNewlineBefore(fd: number, end: number): number {
  const chunk = 64 * 1024;
  for (let pos = end; pos > 0; ) {
    const start = Math.max(0, pos - chunk);
    const buf = Buffer.alloc(pos - start);
    readSync(fd, buf, 0, buf.length, start);
    const at = buf.lastIndexOf(0x0a);
    if (at >= 0) return start + at;
    pos = start;
  }
  return -1;
}

/** The position of the export's last whole line: -1 for the header, 'complete' for the NDJSON trailer. */
function lastLineOf(line: string, format: 'ndjson' | 'csv', path: string): number | 'complete' {
  if (format === 'csv') {
    if (line === csvHeader()) return -1;
    const position = Number(line.slice(0, line.indexOf(',')));
    if (Number.isSafeInteger(position)) return position;
  } else {
    try {
      const parsed = JSON.parse(line) as { kind?: string; position?: unknown };
      if (parsed.kind === 'header') return -1;
      if (parsed.kind === 'end') return 'complete';
      if (parsed.kind === 'event' && typeof parsed.position === 'number') return parsed.position;
    } catch {
      // fall through
    }
  }
  throw new ExportResumeMismatchError(`the last line of ${path} is not an export line: it cannot be resumed; pass --fresh to discard it`);
}

/** An event line's position (null: the header or the trailer). */
function positionOf(line: string, format: 'ndjson' | 'csv'): number | null {
  if (format === 'csv') {
    if (line === csvHeader()) return null;
    return Number(line.slice(0, line.indexOf(',')));
  }
  // exportedEvent's own key order: kind, then position.
  const match = /^\{"kind":"event","position":(\d+),/.exec(line);
  return match ? Number(match[1]) : null;
}
