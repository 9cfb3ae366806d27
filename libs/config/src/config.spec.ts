import { resolve } from 'node:path';
import { ConfigurationError, loadConfig } from './config';

describe('configuration', () => {
  it('runs on the embedded default with no variables set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 4000, EVENT_STORE: 'sqlite', READ_MODEL: 'embedded', SQLITE_DURABILITY: 'full' });
    expect(config.dataDir).toBe(resolve('./data'));
  });

  it('treats empty strings as unset and coerces numbers', () => {
    expect(loadConfig({ PORT: '', REVIEW_INTERVAL_SECONDS: '60' })).toMatchObject({ PORT: 4000, REVIEW_INTERVAL_SECONDS: 60 });
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ EVENT_STORE: 'postgres', PORT: 'eighty', READ_MODEL: 'mongodb' });
      throw new Error('expected a ConfigurationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      const message = (error as Error).message;
      expect(message).toContain('EVENT_STORE');
      expect(message).toContain('PORT');
      expect(message).toContain('MONGODB_URL: required when READ_MODEL=mongodb');
    }
  });

  it('requires the EventStoreDB URL when that adapter is chosen', () => {
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_URL: required/);
    expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' }).EVENT_STORE).toBe('eventstoredb');
  });

  it('turns the response cache on by default and off on request; a bad value is refused', () => {
    expect(loadConfig({})).toMatchObject({ RESPONSE_CACHE: 'on', RESPONSE_CACHE_MAX_BYTES: 64 * 1024 * 1024, RESPONSE_CACHE_MAX_AGE_SECONDS: 30 });
    expect(loadConfig({ RESPONSE_CACHE: 'off' }).RESPONSE_CACHE).toBe('off');
    expect(() => loadConfig({ RESPONSE_CACHE: 'maybe' })).toThrow(/RESPONSE_CACHE/);
    expect(() => loadConfig({ RESPONSE_CACHE_MAX_BYTES: '10' })).toThrow(/RESPONSE_CACHE_MAX_BYTES/);
  });

  it('keeps 10,000 folds per aggregate type by default, the number given, or none with 0; anything else is refused by name', () => {
    expect(loadConfig({}).AGGREGATE_CACHE_SIZE).toBe(10_000);
    expect(loadConfig({ AGGREGATE_CACHE_SIZE: '50000' }).AGGREGATE_CACHE_SIZE).toBe(50_000);
    expect(loadConfig({ AGGREGATE_CACHE_SIZE: '0' }).AGGREGATE_CACHE_SIZE).toBe(0);
    for (const bad of ['-1', '2.5', 'lots', '20000000']) {
      expect(() => loadConfig({ AGGREGATE_CACHE_SIZE: bad })).toThrow(ConfigurationError);
      expect(() => loadConfig({ AGGREGATE_CACHE_SIZE: bad })).toThrow(new RegExp(`AGGREGATE_CACHE_SIZE: .*\\(got "${bad}"\\)`));
    }
  });
});
