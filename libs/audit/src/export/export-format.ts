import type { EventMetadata, RecordedEvent } from '@ppl/event-store';
import type { ChainKind } from '../integrity/chain-kind';
import { businessTimeOf } from '../recorded';

/**
 * The audit export. NDJSON: a header line, one line per event (its whole envelope, its hash and
 * the two hashes it is chained to, so each line can be re-hashed on its own), and a trailer
 * with the count and the last hash. CSV: the same per event, for spreadsheets (not verifiable:
 * use NDJSON for that). Personal fields are stored sealed: NDJSON keeps the sealed data (what the
 * hashes cover) and adds `readableData` where it differs; CSV shows the readable data.
 */
export const EXPORT_FORMAT = 'ppl-audit-export';
export const EXPORT_VERSION = 1;

export interface ExportHeader {
  readonly kind: 'header';
  readonly format: typeof EXPORT_FORMAT;
  readonly version: number;
  /** 'all', or the one stream exported (`partnership-<id>`). */
  readonly scope: string;
  readonly exportedAt: string;
  /** The hash chain of the store it was exported from (absent: 'sqlite'). */
  readonly chain?: ChainKind;
}

export interface ExportedEvent {
  readonly kind: 'event';
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly recordedAt: string;
  /** As stored: personal fields sealed. This is what the hash covers. */
  readonly data: unknown;
  /**
   * For events with personal fields only: the data as a reader sees it, sealed values opened, or
   * `[redacted]` where the person was forgotten. Not covered by the hash.
   */
  readonly readableData?: unknown;
  readonly metadata: EventMetadata;
  readonly hash: string;
  readonly prevStreamHash: string;
  readonly prevGlobalHash: string;
}

export interface ExportTrailer {
  readonly kind: 'end';
  readonly count: number;
  readonly lastHash: string | null;
}

export type ExportLine = ExportHeader | ExportedEvent | ExportTrailer;

export function exportedEvent(
  event: RecordedEvent,
  prevStreamHash: string,
  prevGlobalHash: string,
  readableData?: unknown,
): ExportedEvent {
  return {
    kind: 'event',
    position: event.position,
    streamId: event.streamId,
    revision: event.revision,
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    recordedAt: event.recordedAt,
    data: event.data,
    ...(readableData !== undefined && readableData !== event.data ? { readableData } : {}),
    metadata: event.metadata,
    hash: event.hash ?? '',
    prevStreamHash,
    prevGlobalHash,
  };
}

export const CSV_COLUMNS = [
  'position',
  'streamId',
  'revision',
  'id',
  'type',
  'schemaVersion',
  'recordedAt',
  'businessTime',
  'actor',
  'data',
  'metadata',
  'hash',
  'prevStreamHash',
  'prevGlobalHash',
] as const;

function csvCell(value: string | number): string {
  const text = String(value);
  // RFC 4180 quoting; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(line: ExportedEvent): string {
  const record = {
    ...line,
    businessTime: businessTimeOf(line as unknown as RecordedEvent),
    actor: line.metadata.actor?.id ?? '',
    // Spreadsheets are for reading: the readable copy (the NDJSON export keeps what is hashed).
    data: JSON.stringify(line.readableData ?? line.data),
    metadata: JSON.stringify(line.metadata),
  };
  return CSV_COLUMNS.map((c) => csvCell(record[c])).join(',');
}

export const csvHeader = (): string => CSV_COLUMNS.join(',');
