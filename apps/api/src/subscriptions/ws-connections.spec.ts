import { GraphQLError } from 'graphql';
import pino from 'pino';
import { ReadModelUnavailableError } from '@ppl/read-model';
import { createErrorFormatter } from '../graphql/error-format';
import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import { closeAt, formatPayloadErrors, sendWithBackPressure } from './ws-connections';

describe('subscription payloads over WebSocket', () => {
  const lines: string[] = [];
  const format = createErrorFormatter(pino({ level: 'warn' }, { write: (line: string) => lines.push(line) }), true);

  it('carry their field errors as over HTTP: a typed code, the store’s own message logged and not sent', () => {
    const store = new ReadModelUnavailableError('SQLITE_BUSY: database is locked at /srv/data/read-model.sqlite');
    const result = formatPayloadErrors(
      { data: { partnershipChanged: { id: 'p1', partnership: null } }, errors: [new GraphQLError(store.message, { originalError: store, path: ['partnershipChanged', 'partnership'] })] },
      format,
    );
    expect(result).toEqual({
      data: { partnershipChanged: { id: 'p1', partnership: null } },
      errors: [{ message: 'The read model is unavailable for the moment; try again', path: ['partnershipChanged', 'partnership'], extensions: { code: 'UNAVAILABLE' } }],
    });
    expect(JSON.stringify(result)).not.toContain('read-model.sqlite');
    expect(lines.join('')).toContain('read-model.sqlite');
  });

  it('keep the typed errors the subscriptions raise themselves', () => {
    const typed = new GraphQLError('after must not be negative', { extensions: { code: 'VALIDATION_FAILED' } });
    const result = formatPayloadErrors({ data: null, errors: [new GraphQLError(typed.message, { originalError: typed, path: ['events'] })] }, format);
    expect(result?.errors?.[0]).toMatchObject({ message: 'after must not be negative', path: ['events'], extensions: { code: 'VALIDATION_FAILED' } });
  });

  it('without errors are sent as they are', () => {
    expect(formatPayloadErrors({ data: { events: { cursor: 3 } } }, format)).toBeUndefined();
  });
});

describe('closing a connection when its token expires', () => {
  afterEach(() => jest.useRealTimers());

  it('waits for an instant beyond the 24.8 days a Node timer holds, instead of firing at once', () => {
    jest.useFakeTimers();
    const closed: number[] = [];
    const at = Date.now() + 30 * 86_400_000;
    closeAt(at, () => closed.push(Date.now()));
    jest.advanceTimersByTime(2 ** 31);
    expect(closed).toEqual([]);
    jest.advanceTimersByTime(30 * 86_400_000 - 2 ** 31);
    expect(closed).toEqual([at]);
  });

  it('does nothing once cancelled (the socket closed first)', () => {
    jest.useFakeTimers();
    const closed: number[] = [];
    const expiry = closeAt(Date.now() + 1000, () => closed.push(1));
    expiry.cancel();
    jest.advanceTimersByTime(5000);
    expect(closed).toEqual([]);
  });
});

describe('sending to a socket that reads slowly', () => {
  afterEach(() => jest.useRealTimers());

  it('takes the next event once the queue fell below its bound, without waiting for it to empty (no drain)', async () => {
    jest.useFakeTimers();
    // A socket on a slow link: its queue goes down steadily and never empties while events come.
    const raw = new EventEmitter();
    const socket = Object.assign(new EventEmitter(), {
      readyState: WebSocket.OPEN,
      bufferedAmount: 3 * 1024 * 1024,
      _socket: raw,
      send: (_data: string, callback: (error?: Error) => void) => callback(),
    });
    let sent = false;
    void sendWithBackPressure(socket as unknown as WebSocket, 'event').then(() => (sent = true));
    await jest.advanceTimersByTimeAsync(500);
    expect(sent).toBe(false);
    socket.bufferedAmount = 900 * 1024;
    await jest.advanceTimersByTimeAsync(200);
    expect(sent).toBe(true);
    expect(raw.listenerCount('drain')).toBe(0);
    expect(socket.listenerCount('close')).toBe(0);
  });
});
