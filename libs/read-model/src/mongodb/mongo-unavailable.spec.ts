import { MongoNetworkError, MongoNotConnectedError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { CheckpointConflictError, ReadModelUnavailableError } from '../errors';
import { mongoUnavailable } from './mongodb-read-model';

/**
 * Which driver errors the MongoDB read model reports as ReadModelUnavailableError, the error on
 * which the projections wait and try again instead of stopping. The driver's own error classes,
 * as it throws them; no server is involved (the adapter's contract suite needs MONGODB_URL).
 */
describe('mongoUnavailable: a server that cannot serve now, told from every other error', () => {
  // What the driver passes as the reason: its topology description, here a replica set without primary.
  const NO_PRIMARY = { type: 'ReplicaSetNoPrimary', servers: new Map(), error: null } as unknown as ConstructorParameters<typeof MongoServerSelectionError>[1];
  const serverError = (fields: { code: number; errmsg: string; errorLabels?: string[] }) => new MongoServerError({ ...fields, message: fields.errmsg });

  it.each([
    ['the network', new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')],
    ['no server selectable', new MongoServerSelectionError('Server selection timed out after 30000 ms', NO_PRIMARY)],
    ['a client not connected', new MongoNotConnectedError('Client must be connected before running operations')],
    ['a primary stepping down', serverError({ code: 189, errmsg: 'PrimarySteppedDown' })],
    ['a node that is no longer primary', serverError({ code: 10107, errmsg: 'not primary' })],
    ['a transient transaction error', serverError({ code: 112, errmsg: 'WriteConflict', errorLabels: ['TransientTransactionError'] })],
  ])('%s is unavailable, with the driver error as its cause', (_what, error) => {
    const mapped = mongoUnavailable(error);
    expect(mapped).toBeInstanceOf(ReadModelUnavailableError);
    expect(mapped?.message).toContain(error.message);
    expect(mapped?.cause).toBe(error);
  });

  it.each([
    ['a duplicate key', serverError({ code: 11000, errmsg: 'E11000 duplicate key error' })],
    ['a bad query', serverError({ code: 2, errmsg: 'BadValue' })],
    ['a checkpoint conflict', new CheckpointConflictError('portfolio', 3, 5)],
    ['a plain error', new Error('boom')],
    ['no error at all', 'boom'],
  ])('%s is not', (_what, error) => {
    expect(mongoUnavailable(error)).toBeUndefined();
  });
});
