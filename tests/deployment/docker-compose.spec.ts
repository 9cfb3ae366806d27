import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '@ppl/config';

/**
 * The scale-out deployment as `docker-compose.yml` describes it (no Docker engine is needed to
 * read it): the service and the projector are configured for the same stores, each environment
 * is one the service's own configuration accepts, and the service leaves the projections to the
 * projector, so no read model is written by two processes.
 */
interface ComposeService {
  command?: string[];
  ports?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

/** Compose's own interpolation of `${VAR:-default}` and `${VAR}`, from this environment. */
const interpolated = readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8').replace(
  /\$\{(\w+)(?::-([^}]*))?\}/g,
  (_, name: string, fallback: string | undefined) => process.env[name] || (fallback ?? ''),
);
const compose = load(interpolated) as { services: Record<string, ComposeService> };
const { ledger, projector } = compose.services;
const STORES = ['EVENT_STORE', 'EVENTSTORE_URL', 'READ_MODEL', 'MONGODB_URL', 'MONGODB_DATABASE'] as const;

describe('docker-compose.yml, the scale-out deployment', () => {
  it('runs the service on EventStoreDB and MongoDB, with the projections left to the projector', () => {
    const config = loadConfig(ledger.environment);
    expect(config.EVENT_STORE).toBe('eventstoredb');
    expect(config.READ_MODEL).toBe('mongodb');
    expect(config.PROJECTIONS_IN_PROCESS).toBe(false);
    expect(Object.keys(ledger.depends_on ?? {}).sort()).toEqual(['eventstoredb', 'mongodb', 'projector']);
  });

  it('runs the projector as `npm run projector` does, on the same stores as the service', () => {
    expect(projector.command).toEqual(['node', '--max-semi-space-size=128', 'dist/apps/api/src/projector/main.js']);
    const script = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.projector;
    expect(script).toContain(`node ${projector.command?.slice(1).join(' ')}`);
    const service = loadConfig(ledger.environment);
    const own = loadConfig(projector.environment);
    for (const key of STORES) expect([key, own[key]]).toEqual([key, service[key]]);
  });

  it('checks the projector by its readiness, on the port it is configured with and publishes', () => {
    const port = loadConfig(projector.environment).PROJECTOR_PORT;
    expect(projector.ports).toContain(`${port}:${port}`);
    const probe = projector.healthcheck?.test ?? [];
    expect(probe.slice(0, 2)).toEqual(['CMD', 'node']);
    expect(probe.join(' ')).toContain("process.env.PROJECTOR_PORT+'/health/ready'");
    expect(projector.environment?.PROJECTOR_PORT).toBe(String(port));
  });

  it('lets one scraper secret read the metrics of both', () => {
    expect(projector.environment?.METRICS_TOKEN).toBe(ledger.environment?.METRICS_TOKEN);
  });
});
