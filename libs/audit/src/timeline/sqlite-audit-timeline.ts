import Database from 'better-sqlite3';
import { ACTOR_ID_SQL, type EventMetadata } from '@ppl/event-store';
import type { Page } from '@ppl/read-model';
import {
  checkTimelineQuery,
  InvalidTimelineQueryError,
  positionOfTimelineCursor,
  timelineCursor,
  timelineDoc,
  type AuditTimeline,
  type TimelineDoc,
  type TimelineQuery,
} from '@ppl/projections';

interface Row {
  readonly position: number;
  readonly stream_id: string;
  readonly revision: number;
  readonly event_id: Buffer;
  readonly type: string;
  readonly schema_version: number;
  readonly metadata: string;
  readonly recorded_at: string;
  /** `data.at` when it is a string (the business time of events recorded without one). */
  readonly data_at: string | null;
}

interface Statements {
  readonly page: Database.Statement<unknown[], Row>;
  readonly count: Database.Statement<unknown[], { readonly n: number }>;
  readonly pageBackward: Database.Statement<unknown[], Row>;
  readonly atOrBefore: Database.Statement<unknown[], unknown>;
  readonly atOrAfter: Database.Statement<unknown[], unknown>;
}

const MAX_CACHED_SHAPES = 256;

/**
 * The audit timeline answered by the embedded event store itself: SQL over its `events` table
 * (the record, so always current: no projection, no copy, no lag). Each filter has its index
 * ending in the position (see the event store's schema), a stream filter uses the
 * (stream, revision) index. Opens its own connection to the store's file, which never writes
 * (`query_only`); a page and its totalCount are read in one read transaction (one snapshot).
 * Documents and cursors are those of the `auditTimeline` projection, so a client sees the same
 * answers, and can hold on to the same cursors, whichever adapter answers.
 */
export class SqliteAuditTimeline implements AuditTimeline {
  readonly source = 'event-store' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statements>();
  private readonly read: Database.Transaction<(s: Statements, pageParams: unknown[], countParams: unknown[], cursor: number | undefined, backward: boolean) => { rows: Row[]; total: number; behind: boolean }>;

  /** `file`: the event store's database file (it must exist: open the store first). */
  constructor(file: string, options: { busyTimeoutMs?: number } = {}) {
    this.db = new Database(file, { fileMustExist: true });
    this.db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    this.db.pragma('query_only = ON');
    // `behind`: something matching lies behind the page, at or before the cursor forward (or at
    // or after it backward), the cursor's own event included.
    this.read = this.db.transaction((s: Statements, pageParams: unknown[], countParams: unknown[], cursor: number | undefined, backward: boolean) => ({
      rows: (backward ? s.pageBackward : s.page).all(...pageParams),
      total: s.count.get(...countParams)?.n ?? 0,
      behind: cursor !== undefined && (backward ? s.atOrAfter : s.atOrBefore).get(...countParams, cursor) !== undefined,
    }));
  }

  /** `position` needs no wait: the store holds every event it has acknowledged. */
  async search(query: TimelineQuery, _position?: number): Promise<Page<TimelineDoc>> {
    checkTimelineQuery(query);
    const backward = query.backward === true;
    const text = backward ? query.before : query.after;
    let cursor: number | undefined;
    if (text !== null && text !== undefined) {
      cursor = positionOfTimelineCursor(text);
      const name = backward ? 'before' : 'after';
      if (cursor === undefined) throw new InvalidTimelineQueryError(name, `${name} is not a cursor of this auditTrail`);
    }
    const f = query.filter;
    const types = f.types && f.types.length > 0 ? f.types : undefined;
    const where: string[] = [];
    const params: unknown[] = [];
    const shape: string[] = [];
    if (f.streamId) {
      where.push('stream_id = ?');
      params.push(f.streamId);
      shape.push('s');
    }
    if (f.actorId) {
      where.push(`${ACTOR_ID_SQL} = ?`);
      params.push(f.actorId);
      shape.push('a');
    }
    if (types) {
      where.push(`type IN (${types.map(() => '?').join(', ')})`);
      params.push(...types);
      shape.push(`t${types.length}`);
    }
    if (f.from) {
      where.push('recorded_at >= ?');
      params.push(f.from);
      shape.push('f');
    }
    if (f.to) {
      where.push('recorded_at <= ?');
      params.push(f.to);
      shape.push('u');
    }
    const statements = this.prepared(shape.join(','), where);
    const bound = cursor ?? (backward ? Number.MAX_SAFE_INTEGER : -1);
    const { rows, total, behind } = this.read(statements, [...params, bound, query.first + 1], params, cursor, backward);
    const taken = rows.slice(0, query.first);
    if (backward) taken.reverse();
    const items = taken.map(toDoc);
    const cursors = items.map((doc) => timelineCursor(doc.position));
    const more = rows.length > query.first;
    return {
      items,
      totalCount: total,
      hasNextPage: backward ? behind : more,
      hasPreviousPage: backward ? more : behind,
      cursors,
      startCursor: cursors[0] ?? null,
      endCursor: cursors.at(-1) ?? null,
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private prepared(shape: string, where: readonly string[]): Statements {
    let statements = this.statements.get(shape);
    if (statements === undefined) {
      const filter = where.join(' AND ');
      const columns =
        'SELECT position, stream_id, revision, event_id, type, schema_version, metadata, recorded_at,' +
        " CASE json_type(data, '$.at') WHEN 'text' THEN json_extract(data, '$.at') END AS data_at FROM events WHERE ";
      const and = filter ? `${filter} AND ` : '';
      statements = {
        page: this.db.prepare(`${columns}${and}position > ? ORDER BY position LIMIT ?`),
        pageBackward: this.db.prepare(`${columns}${and}position < ? ORDER BY position DESC LIMIT ?`),
        count: this.db.prepare(`SELECT count(*) AS n FROM events${filter ? ` WHERE ${filter}` : ''}`),
        atOrBefore: this.db.prepare(`SELECT 1 FROM events WHERE ${and}position <= ? LIMIT 1`),
        atOrAfter: this.db.prepare(`SELECT 1 FROM events WHERE ${and}position >= ? LIMIT 1`),
      };
      if (this.statements.size >= MAX_CACHED_SHAPES) this.statements.clear();
      this.statements.set(shape, statements);
    }
    return statements;
  }
}

function toDoc(row: Row): TimelineDoc {
  return timelineDoc({
    id: uuidOf(row.event_id),
    position: row.position,
    streamId: row.stream_id,
    revision: row.revision,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data_at === null ? null : { at: row.data_at },
    metadata: JSON.parse(row.metadata) as EventMetadata,
    recordedAt: row.recorded_at,
  });
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
