import { describe, expect, it } from 'vitest';
import { harnessPerDescribe } from './helpers/harness.js';
import { mintToken, TEST_JWT_SECRET, TEST_ROUTER_SECRET } from './helpers/tokens.js';

/** What an operator sees: /health, /ready, /metrics and one JSON log line per request. */

interface LogLine {
  level: string;
  msg: string;
  reqId?: string;
  operation?: string | null;
  status?: number;
  durationMs?: number;
  vendorCalls?: number;
  errorCodes?: string[];
  time?: string;
}
const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as LogLine);
const requestLines = (lines: string[]) => parsed(lines).filter((line) => line.msg === 'request');

describe('/health, /ready and /metrics', () => {
  const logs: string[] = [];
  const t = harnessPerDescribe({ logs, env: { BREAKER_CONSECUTIVE_FAILURES: '1', VENDOR_MAX_ATTEMPTS: '1', BREAKER_OPEN_MS: '60000' } });
  const base = () => t.h.server.baseUrl;

  it('/health answers without a vendor call', async () => {
    const response = await fetch(`${base()}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(await t.h.totalCalls()).toBe(0);
    // Demo mode says, at start, that callers are not authenticated.
    expect(parsed(logs).some((line) => line.level === 'info' && /demo mode: callers are not authenticated/.test(line.msg))).toBe(true);
  });

  it('/ready is ready with closed breakers, and degraded (still 200) while a vendor breaker is open', async () => {
    const ready = await fetch(`${base()}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', vendors: { syllable: { breaker: 'closed' }, bolna: { breaker: 'closed' } }, redis: 'not configured' });
    await t.h.fault('syllable', { status: 503 });
    await t.h.post({ query: `{ batch(id: "${t.batches.syllable[0]}") { id } }` });
    const degraded = await fetch(`${base()}/ready`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toMatchObject({ status: 'degraded', vendors: { syllable: { breaker: 'open' }, bolna: { breaker: 'closed' } } });
    const metrics = await (await fetch(t.h.server.metricsUrl!)).text();
    expect(metrics).toMatch(/outbound_graph_vendor_breaker_state\{vendor="syllable"\} 2/);
    expect(metrics).toMatch(/outbound_graph_vendor_requests_total\{vendor="syllable",method="GET",status="503"\} 1/);
  });

  it('/metrics counts operations by name, errors by code, vendor calls and cache lookups', async () => {
    const query = `query DashboardCard { batch(id: "${t.batches.bolna[0]}") { id } }`;
    await t.h.post({ query });
    await t.h.post({ query });
    await t.h.post({ query: '{ batch(id: "syllable:..") { id } }' });
    const response = await fetch(t.h.server.metricsUrl!);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/outbound_graph_graphql_operations_total\{operation="DashboardCard",type="query"\} 2/);
    expect(text).toMatch(/outbound_graph_graphql_operation_duration_seconds_count\{operation="DashboardCard",type="query"\} 2/);
    expect(text).toMatch(/outbound_graph_graphql_errors_total\{operation="anonymous",code="INVALID_INPUT"\} 1/);
    expect(text).toMatch(/outbound_graph_vendor_requests_total\{vendor="bolna",method="GET",status="200"\} 1/);
    expect(text).toMatch(/outbound_graph_cache_lookups_total\{vendor="bolna",outcome="miss"\} 1/);
    expect(text).toMatch(/outbound_graph_cache_lookups_total\{vendor="bolna",outcome="hit"\} 1/);
    expect(text).toMatch(/outbound_graph_vendor_rate_limit_waiting\{vendor="bolna"\} 0/);
    expect(text).toMatch(/outbound_graph_process_resident_memory_bytes \d+/);
  });

  it('logs one JSON line per request with its id, operation, duration, vendor calls and error codes', async () => {
    logs.length = 0;
    const response = await fetch(t.h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'dash-42' },
      body: JSON.stringify({ query: `query Card { a: batch(id: "${t.batches.bolna[1]}") { id } b: batch(id: "syllable:..") { id } }` }),
    });
    expect(response.headers.get('x-request-id')).toBe('dash-42');
    const traced = await fetch(t.h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(traced.headers.get('x-request-id')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const generated = await t.h.post({ query: '{ __typename }' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const lines = requestLines(logs);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ level: 'info', reqId: 'dash-42', operation: 'Card', status: 200, vendorCalls: 1, errorCodes: ['INVALID_INPUT'] });
    expect(lines[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(lines[1]).toMatchObject({ reqId: '4bf92f3577b34da6a3ce929d0e0e4736', vendorCalls: 0, errorCodes: [] });
    // Each line's time is an ISO instant of this run, to the millisecond.
    for (const line of lines) {
      expect(new Date(line.time!).toISOString()).toBe(line.time);
      expect(Math.abs(Date.parse(line.time!) - Date.now())).toBeLessThan(60_000);
    }
    // A client's mistake is not the server's error.
    expect(parsed(logs).filter((line) => line.level === 'error')).toEqual([]);
  });
});

describe('/metrics on a port of its own, behind a token', () => {
  const t = harnessPerDescribe({ env: { METRICS_PORT: '0', METRICS_TOKEN: 'metrics-token-0123456789' } });

  it('is served apart from the API, only with the token', async () => {
    expect(new URL(t.h.server.metricsUrl!).port).not.toBe(new URL(t.h.graphqlUrl).port);
    expect((await fetch(`${t.h.server.baseUrl}/metrics`)).status).not.toBe(200);
    expect((await fetch(t.h.server.metricsUrl!)).status).toBe(401);
    const ok = await fetch(t.h.server.metricsUrl!, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/outbound_graph_inflight_operations/);
  });
});

describe('/metrics where callers need tokens', () => {
  const t = harnessPerDescribe({ env: { AUTH_JWT_SECRET: TEST_JWT_SECRET } });

  it('is not served on the API port without METRICS_PORT or METRICS_TOKEN, and the log says how to turn it on', async () => {
    expect(t.h.server.metricsUrl).toBeNull();
    expect((await fetch(`${t.h.server.baseUrl}/metrics`)).status).not.toBe(200);
  });
});

describe('/metrics behind a token on the API port', () => {
  const t = harnessPerDescribe({ env: { AUTH_JWT_SECRET: TEST_JWT_SECRET, METRICS_TOKEN: 'metrics-token-0123456789' } });

  it('answers only with the token', async () => {
    expect(new URL(t.h.server.metricsUrl!).port).toBe(new URL(t.h.graphqlUrl).port);
    expect((await fetch(t.h.server.metricsUrl!)).status).toBe(401);
    const ok = await fetch(t.h.server.metricsUrl!, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/outbound_graph_unhandled_rejections_total 0/);
  });
});

describe('/ready with a Redis that does not answer', () => {
  const t = harnessPerDescribe({ env: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_TIMEOUT_MS: '50' } });

  it('is degraded (200): this replica runs alone on its share of each vendor budget, and says so', async () => {
    const response = await fetch(`${t.h.server.baseUrl}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'degraded',
      redis: 'down',
      reasons: ['Redis does not answer: this replica runs alone on 1/1 of each vendor budget (FLEET_SIZE_HINT)'],
      fleet: { mode: 'local', sizeHint: 1 },
    });
    expect(await (await fetch(`${t.h.server.baseUrl}/metrics`)).text()).toMatch(/^outbound_graph_fleet_shared 0$/m);
    // It still serves.
    expect((await t.h.post({ query: '{ batches(first: 1) { totalCount } }' })).body.errors).toBeUndefined();
  });
});

describe('no secret in any response or log line', () => {
  const logs: string[] = [];
  const t = harnessPerDescribe({ logs, env: { AUTH_JWT_SECRET: TEST_JWT_SECRET, ROUTER_SECRET: TEST_ROUTER_SECRET } });

  it('across reads, refusals, vendor failures whose bodies echo the key and URL, and auth failures', async () => {
    const { syllable, bolna } = t.h.simulators;
    const token = await mintToken({ scope: 'batches:read batches:write' });
    const auth = { authorization: `Bearer ${token}` };
    const bodies: string[] = [];
    const send = async (body: unknown, headers: Record<string, string> = auth) => bodies.push(JSON.stringify((await t.h.post(body, headers)).body));
    await send({ query: '{ batches(first: 5) { totalCount } }' });
    await send({ query: '{ batches(first: 5) { totalCount } }' }, {});
    await send({ query: '{ __typename }' }, { authorization: `Bearer ${token}x` });
    await send({ query: '{ _service { sdl } }' }, { 'router-authorization': 'wrong-router-secret' });
    // Vendors that echo what they were sent, in their own error formats.
    const echo = (key: string, url: string) => `key ${key} at ${url}/api/v1/outbound/batches, Authorization: Bearer ${key}, host ${new URL(url).host}, api_key=${key}`;
    await t.h.fault('syllable', { status: 500, body: { detail: echo(syllable.apiKey, syllable.url) } });
    await t.h.fault('bolna', { status: 422, body: { message: echo(bolna.apiKey, bolna.url), detail: echo(bolna.apiKey, bolna.url) } });
    await send({ query: `{ a: batch(id: "${t.batches.syllable[1]}") { id } b: batch(id: "${t.batches.bolna[1]}") { id } }` });
    await send({ query: `mutation { pauseBatch(id: "${t.batches.syllable[2]}") { __typename ... on Error { message } } }` });
    const errorsSeen = bodies.join('\n');
    expect(errorsSeen).toMatch(/VENDOR_ERROR|INVALID_INPUT/);
    const everything = `${errorsSeen}\n${logs.join('\n')}`;
    for (const secret of [syllable.apiKey, bolna.apiKey, TEST_JWT_SECRET, TEST_ROUTER_SECRET, token]) expect(everything).not.toContain(secret);
    // Vendor addresses are in the start-up lines (operators want them), never in what clients see.
    for (const address of [syllable.url, bolna.url, new URL(syllable.url).host, new URL(bolna.url).host]) expect(errorsSeen).not.toContain(address);
  });
});
