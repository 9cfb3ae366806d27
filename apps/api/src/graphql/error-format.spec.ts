import { GraphQLError } from 'graphql';
import pino from 'pino';
import { EventStoreUnavailableError } from '@ppl/event-store';
import { ReadModelUnavailableError } from '@ppl/read-model';
import { createErrorFormatter } from './error-format';

describe('GraphQL error formatting', () => {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
  const format = createErrorFormatter(logger, true);
  const formatted = (original: Error) => format({ message: original.message, path: ['portfolio'] }, new GraphQLError(original.message, { originalError: original }));

  beforeEach(() => lines.splice(0));

  it('answers a read model that does not answer as UNAVAILABLE, without its internal message, and logs it', () => {
    const answer = formatted(new ReadModelUnavailableError('SQLITE_BUSY: database is locked at /srv/data/read-model.sqlite'));
    expect(answer).toEqual({ message: 'The read model is unavailable for the moment; try again', path: ['portfolio'], extensions: { code: 'UNAVAILABLE' } });
    expect(lines.join('')).toContain('read-model.sqlite');
  });

  it('answers an event store that does not answer as UNAVAILABLE, without the driver’s message, and logs it', () => {
    const answer = formatted(new EventStoreUnavailableError('EventStoreDB unavailable: 14 UNAVAILABLE: connect ECONNREFUSED 10.0.0.7:2113'));
    expect(answer).toEqual({ message: 'The event store is unavailable for the moment; try again (with the same commandId)', path: ['portfolio'], extensions: { code: 'UNAVAILABLE' } });
    expect(lines.join('')).toContain('10.0.0.7:2113');
  });

  it('keeps a refusal code and its details', () => {
    const refusal = Object.assign(new Error('the gate is not met'), { code: 'PHASE_GATE_UNMET', unmet: ['LEGAL_FORM_CHOSEN'] });
    expect(formatted(refusal)).toEqual({ message: 'the gate is not met', path: ['portfolio'], extensions: { code: 'PHASE_GATE_UNMET', unmet: ['LEGAL_FORM_CHOSEN'] } });
  });

  it('hides anything unexpected behind INTERNAL_SERVER_ERROR', () => {
    expect(formatted(new TypeError('cannot read x of undefined'))).toEqual({ message: 'Internal server error', path: ['portfolio'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines.join('')).toContain('cannot read x of undefined');
  });
});
