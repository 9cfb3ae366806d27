import { GraphQLClient } from './support/graphql-client';
import { type RunningService, startService } from './support/service';

describe('the service as `npm start` starts it', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    await service.stop();
  });

  it('answers liveness and readiness once the event store is open', async () => {
    const live = await fetch(`${service.url}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; info: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    expect(body.info.eventStore.status).toBe('up');
  });

  it('answers { __typename } at /graphql to a caller with a token, 401 UNAUTHENTICATED without', async () => {
    const client = await service.client('INTEGRATOR');
    await expect(client.data('{ __typename }')).resolves.toEqual({ __typename: 'Query' });
    const anonymous = await new GraphQLClient(service.graphqlUrl).request('{ __typename }');
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('echoes the caller’s correlation id and makes one when none is given', async () => {
    const given = await fetch(`${service.url}/health/live`, { headers: { 'x-correlation-id': 'board-42' } });
    expect(given.headers.get('x-correlation-id')).toBe('board-42');
    const made = await fetch(`${service.url}/health/live`);
    expect(made.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves Prometheus metrics to an ADMIN token only', async () => {
    expect((await fetch(`${service.url}/metrics`)).status).toBe(401);
    const board = { authorization: `Bearer ${await service.token('BOARD')}` };
    expect((await fetch(`${service.url}/metrics`, { headers: board })).status).toBe(403);
    const res = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${await service.token('ADMIN')}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('# TYPE ppl_commands_total counter');
    expect(text).toContain('ppl_event_store_append_duration_seconds');
  });

  it('refuses a GET mutation-style request without CSRF headers (Apollo CSRF prevention)', async () => {
    const authorization = `Bearer ${await service.token('BOARD')}`;
    const res = await fetch(`${service.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { authorization } });
    expect(res.status).toBe(400);
    const allowed = await fetch(`${service.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { authorization, 'apollo-require-preflight': 'true' },
    });
    expect(allowed.status).toBe(200);
  });
});

describe('configuration', () => {
  it('stops at start with a message naming a bad variable', async () => {
    await expect(startService({ env: { EVENT_STORE: 'postgres' } })).rejects.toThrow(/EVENT_STORE/);
  });
});
