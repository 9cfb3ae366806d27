export * from './event-store.port';
export * from './errors';
export * from './hash-chain';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions, SqliteDurability } from './sqlite/sqlite-event-store';
export { EventStoreDbEventStore, ENVELOPE_KEY } from './eventstoredb/eventstoredb-event-store';
export type { EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store';
export { ACTOR_ID_SQL, AUDIT_INDEXES, ensureAuditIndexes } from './sqlite/schema';
