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

  it('reviews hourly by default; an interval beyond 24 days (past Node\'s timer range) is refused by name', () => {
    expect(loadConfig({}).REVIEW_INTERVAL_SECONDS).toBe(3600);
    expect(loadConfig({ REVIEW_INTERVAL_SECONDS: '0' }).REVIEW_INTERVAL_SECONDS).toBe(0);
    expect(loadConfig({ REVIEW_INTERVAL_SECONDS: String(24 * 86_400) }).REVIEW_INTERVAL_SECONDS).toBe(24 * 86_400);
    expect(() => loadConfig({ REVIEW_INTERVAL_SECONDS: String(30 * 86_400) })).toThrow(/REVIEW_INTERVAL_SECONDS/);
  });

  it('refuses a duration that would overflow Node\'s timers (which would fire at once), by name', () => {
    expect(loadConfig({ WS_IDLE_TIMEOUT_SECONDS: '2147483', SHUTDOWN_TIMEOUT_MS: '2147483000' })).toMatchObject({ WS_IDLE_TIMEOUT_SECONDS: 2_147_483, SHUTDOWN_TIMEOUT_MS: 2_147_483_000 });
    for (const name of ['SUBSCRIPTION_STALL_TIMEOUT_SECONDS', 'WS_IDLE_TIMEOUT_SECONDS', 'WS_KEEPALIVE_SECONDS', 'RATE_LIMIT_WINDOW_SECONDS']) {
      expect(() => loadConfig({ [name]: '2147484' })).toThrow(new RegExp(name));
    }
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '2147484000' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
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
