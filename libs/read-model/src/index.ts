export * from './read-model.port';
export * from './errors';
export { applyChange, getPath, normalizeDocument, documentKey } from './core/documents';
export { SchemaRegistry, type CollectionInfo, type FieldInfo } from './core/schema-registry';
export {
  EmbeddedReadModelStore,
  type EmbeddedReadModelOptions,
} from './embedded/embedded-read-model';
export { MongoReadModelStore, type MongoReadModelOptions } from './mongodb/mongodb-read-model';
