import { spawn } from 'node:child_process';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startApiProcess, type ApiProcess } from './helpers/api-process.js';
import { dataOf, harnessPerDescribe } from './helpers/harness.js';
import { subscribeSse, type SseSubscription } from './helpers/sse.js';
import { mintToken, TEST_JWT_SECRET } from './helpers/tokens.js';

/**
 * No request can kill or starve the server (issue 20): malformed `_entities` representations,
 * GraphiQL page loads, operations over every transport against one in-flight limit, subscription
 * slots that always come back, and one caller's share of each vendor's budget.
 */

const codesOf = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => (body.errors ?? []).map((e) => e.extensions?.code);

async function postTo(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }> } };
}

async function metricOf(url: string, name: string, token?: string): Promise<number> {
  const text = await (await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {})).text();
  const found = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return found ? Number(found[1]) : NaN;
}

describe('malformed _entities representations, in a process with a 512 MB heap', () => {
  let api: ApiProcess;
  beforeAll(async () => {
    api = await startApiProcess({}, ['--max-old-space-size=512']);
  }, 60_000);
  afterAll(() => api?.stop());
  const entities = (representations: unknown[]) =>
    postTo(api.url, { query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Batch { id } } }', variables: { r: representations } });

  it('the input that ended the process answers: a typed error in each bad place, the rest resolved, and the process serves on', async () => {
    // A known batch, an unknown one, and the typename-less representation that used to throw
    // while the lookups before it were already running (their rejections then went unawaited).
    const { data } = (await postTo(api.url, { query: '{ batches(first: 1) { edges { node { id } } } }' })).body;
    const known = (data as { batches: { edges: Array<{ node: { id: string } }> } }).batches.edges[0]!.node.id;
    const answer = await entities([{ __typename: 'Batch', id: known }, { __typename: 'Batch', id: 'syllable:nope' }, {}]);
    expect(answer.status).toBe(200);
    expect(answer.body.data?._entities).toEqual([{ __typename: 'Batch', id: known }, null, null]);
    const byPlace = [...(answer.body.errors ?? [])].sort((a, b) => Number(a.path?.[1]) - Number(b.path?.[1]));
    expect(byPlace.map((e) => [e.path?.[1], e.extensions?.code])).toEqual([
      [1, 'NOT_FOUND'],
      [2, 'INVALID_INPUT'],
    ]);
    expect(byPlace[1]?.message).toMatch(/representations\[2\] must have a `__typename` of Batch or BatchResult/);

    // Other shapes a router never sends but a client might: each is INVALID_INPUT in its place, never a 500.
    const odd = await entities([{ __typename: 'Batch', id: 42 }, { __typename: 'Nope', id: known }, 'Batch', [known], { __typename: 'BatchResult' }, 7]);
    expect(odd.status).toBe(200);
    expect(odd.body.data?._entities).toEqual([null, null, null, null, null, null]);
    expect(codesOf(odd.body)).toEqual(Array(6).fill('INVALID_INPUT'));
    // A null in the non-null list is the variable's type error, for the whole request.
    const nulled = await entities([null]);
    expect(nulled.status).toBe(400);
    expect(codesOf(nulled.body)).toEqual(['BAD_USER_INPUT']);

    // Many at once, with the bad ones spread among good ones: nothing is left unawaited.
    await Promise.all(Array.from({ length: 50 }, (_, i) => entities([{ __typename: 'Batch', id: `syllable:missing-${i}` }, {}, { __typename: 'Batch', id: known }])));
    expect(api.child.exitCode).toBeNull();
    expect((await fetch(new URL('/health', api.url))).status).toBe(200);
    expect(await metricOf(new URL('/metrics', api.url).href, 'outbound_graph_unhandled_rejections_total')).toBe(0);
  });

  it('30 GraphiQL page loads at once are one render, served compressed from memory, and the process stays under its heap', async () => {
    const loads = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const response = await fetch(api.url, { headers: { accept: 'text/html', 'accept-encoding': 'br, gzip' } });
        const body = await response.arrayBuffer();
        return { status: response.status, encoding: response.headers.get('content-encoding'), etag: response.headers.get('etag'), bytes: body.byteLength };
      }),
    );
    expect(loads.every((load) => load.status === 200)).toBe(true);
    // fetch decodes brotli: the header says what was sent.
    expect(new Set(loads.map((load) => load.encoding))).toEqual(new Set(['br']));
    expect(new Set(loads.map((load) => load.etag)).size).toBe(1);
    const gzipped = await fetch(api.url, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    const wire = Number(gzipped.headers.get('content-length'));
    const plain = await fetch(api.url, { headers: { accept: 'text/html', 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const whole = Number(plain.headers.get('content-length'));
    expect((await plain.text()).length).toBeGreaterThan(1_000_000);
    // 9 MB of GraphiQL goes out as about a quarter of it.
    expect(wire).toBeLessThan(whole / 3);
    expect(api.child.exitCode).toBeNull();
    const heap = await metricOf(new URL('/metrics', api.url).href, 'outbound_graph_nodejs_heap_size_used_bytes');
    expect(heap).toBeLessThan(400 * 2 ** 20);
  });
});

describe('a rejection nobody awaited', () => {
  it('is logged with the request it came from, even after awaits and timers; the process serves on', async () => {
    // A process of its own: the test runner treats an unhandled rejection in its own process as a failure.
    const script = `
      import { guardUnhandledRejections, inRequestScope } from './src/server/request-scope.ts';
      import { createLogger } from './src/logger.ts';
      import { newRequestRecord } from './src/server/request-record.ts';
      let counted = 0;
      guardUnhandledRejections(createLogger({ level: 'error' }), () => (counted += 1));
      const first = newRequestRecord({ 'x-request-id': 'req-unawaited-7' });
      const second = newRequestRecord({ 'x-request-id': 'req-after-timer-8' });
      inRequestScope(first, () => { void Promise.reject(new Error('left behind')); });
      // Two requests' work interleaved: each continuation is still its own request's.
      inRequestScope(second, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await Promise.resolve();
        void Promise.reject(new Error('after a timer'));
      });
      inRequestScope(first, async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        void Promise.reject(new Error('later in the first'));
      });
      // Outside any request, after both: no request is named.
      setTimeout(() => { void Promise.reject(new Error('outside')); }, 30);
      setTimeout(() => { console.log(JSON.stringify({ counted, alive: true })); }, 80);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const rejections = lines.filter((line) => line.msg === 'unhandled rejection');
    expect(rejections.map((line) => [(line.error as { message: string }).message, line.reqId ?? null])).toEqual([
      ['left behind', 'req-unawaited-7'],
      ['after a timer', 'req-after-timer-8'],
      ['later in the first', 'req-unawaited-7'],
      ['outside', null],
    ]);
    expect(rejections[0]).toMatchObject({ level: 'error' });
    expect(lines.at(-1)).toEqual({ counted: 4, alive: true });
  });
});

describe('one in-flight limit for every transport', () => {
  const t = harnessPerDescribe({ latencyMs: 400, env: { MAX_INFLIGHT_OPERATIONS: '4', CACHE_TTL_MS: '0', MAX_WS_CONNECTIONS: '3', POLL_INTERVAL_MS: '60000' } });
  const slowQuery = '{ batches(first: 1, vendor: BOLNA) { totalCount } }';

  it('40 queries sent as event streams over a limit of 4: at most 4 run, the rest are shed at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const response = await fetch(t.h.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: slowQuery }) });
        const text = await response.text();
        return { status: response.status, overloaded: text.includes('OVERLOADED') };
      }),
    );
    const shed = answers.filter((a) => a.status === 503 && a.overloaded).length;
    const served = answers.filter((a) => a.status === 200).length;
    expect(shed + served).toBe(40);
    expect(served).toBeGreaterThanOrEqual(1);
    expect(served).toBeLessThanOrEqual(4);
    // Each one served read Bolna's list once; none of the shed ones did.
    expect((await t.h.calls()).bolna['GET /batches/{agent_id}/all']).toBe(served * 2);
  });

  it('graphql-ws operations take places too: past the limit they get OVERLOADED, and a socket past MAX_WS_CONNECTIONS is refused', async () => {
    const clients = [0, 1, 2].map(() => createClient({ url: t.h.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true }));
    const run = (client: ReturnType<typeof createClient>) =>
      new Promise<string>((resolve) => {
        client.subscribe(
          { query: slowQuery },
          {
            next: (result) => resolve(result.errors ? String(result.errors[0]?.extensions?.code) : 'data'),
            error: (error) => resolve(Array.isArray(error) ? String((error[0] as { extensions?: { code?: string } }).extensions?.code) : 'closed'),
            complete: () => {},
          },
        );
      });
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => run(clients[i % 3]!)));
    expect(outcomes.filter((o) => o === 'data').length).toBeLessThanOrEqual(4);
    expect(outcomes.filter((o) => o === 'OVERLOADED').length).toBeGreaterThanOrEqual(8);
    expect(outcomes.filter((o) => o === 'data').length + outcomes.filter((o) => o === 'OVERLOADED').length).toBe(12);

    await Promise.all(clients.map(async (client) => client.dispose()));
    // Three sockets open: a fourth upgrade is answered 503.
    const upgrade = () =>
      new Promise<{ status: number; socket: WebSocket }>((resolve) => {
        const socket = new WebSocket(t.h.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
        socket.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0, socket }));
        socket.on('open', () => resolve({ status: 101, socket }));
        socket.on('error', () => {});
      });
    const opened = [await upgrade(), await upgrade(), await upgrade()];
    expect(opened.map((o) => o.status)).toEqual([101, 101, 101]);
    expect((await upgrade()).status).toBe(503);
    for (const { socket } of opened) socket.close();
    // Their places all came back: four slow queries run at once again.
    const again = await Promise.all([0, 1, 2, 3].map(() => t.h.post({ query: slowQuery })));
    expect(again.map((a) => a.status)).toEqual([200, 200, 200, 200]);
  });

  it('a subscription gives its place back once it streams: four of them leave room for queries', async () => {
    const id = t.batches.active[0]!;
    const PROGRESS = 'subscription($id: ID!) { batchProgress(id: $id) { batch { id } } }';
    const subscriptions: SseSubscription[] = [];
    for (let i = 0; i < 6; i += 1) {
      const subscription = await subscribeSse(t.h.graphqlUrl, PROGRESS, { id });
      expect((await subscription.next())?.data).toBeTruthy();
      subscriptions.push(subscription);
    }
    expect((await t.h.post({ query: '{ __typename }' })).status).toBe(200);
    for (const subscription of subscriptions) subscription.close();
  });
});

describe('subscription slots', () => {
  const t = harnessPerDescribe({ env: { MAX_SUBSCRIPTIONS: '12', MAX_SUBSCRIPTIONS_PER_CALLER: '100', POLL_INTERVAL_MS: '60000' } });
  const ONE = 'subscription($id: ID!) { batchProgress(id: $id) { batch { id } } }';
  const MANY = 'subscription($ids: [ID!]!) { batchesProgress(ids: $ids) { batch { id } } }';
  const held = () => metricOf(t.h.server.metricsUrl!, 'outbound_graph_subscription_slots_held');
  async function until(check: () => Promise<boolean>, what: string) {
    for (let i = 0; i < 200; i += 1) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`not within 5 s: ${what}`);
  }

  it('a batchesProgress refused part way gives back every slot; so do errors and clients that leave', async () => {
    const ids = [...t.batches.syllable, ...t.batches.bolna];
    const open: SseSubscription[] = [];
    for (const id of ids.slice(0, 8)) {
      const subscription = await subscribeSse(t.h.graphqlUrl, ONE, { id });
      expect((await subscription.next())?.data).toBeTruthy();
      open.push(subscription);
    }
    expect(await held()).toBe(8);
    // 8 held + 5 asked is over 12: refused whole, and nothing of it stays held.
    const refused = await subscribeSse(t.h.graphqlUrl, MANY, { ids: ids.slice(8, 13) });
    expect((await refused.next())?.errors?.[0]?.extensions).toMatchObject({ code: 'SUBSCRIPTION_LIMIT', limit: 12 });
    refused.close();
    expect(await held()).toBe(8);
    // An error: an unknown batch ends its stream, and its slot comes back.
    const unknown = await subscribeSse(t.h.graphqlUrl, ONE, { id: 'syllable:19990101.9' });
    expect((await unknown.next())?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    unknown.close();
    // Clients that leave.
    for (const subscription of open) subscription.close();
    await until(async () => (await held()) === 0, 'every slot back');
    // The whole cap is free again: 12 batches in one stream.
    const all = await subscribeSse(t.h.graphqlUrl, MANY, { ids: ids.slice(0, 12) });
    expect((await all.next())?.data).toBeTruthy();
    expect(await held()).toBe(12);
    all.close();
    await until(async () => (await held()) === 0, 'every slot back after the last');
  });
});

describe('a share of the slots per caller', () => {
  const t = harnessPerDescribe({ env: { AUTH_JWT_SECRET: TEST_JWT_SECRET, MAX_SUBSCRIPTIONS_PER_CALLER: '3', POLL_INTERVAL_MS: '60000', METRICS_TOKEN: 'metrics-token-0123456789' } });

  it('one caller holds at most MAX_SUBSCRIPTIONS_PER_CALLER; another caller still subscribes', async () => {
    const [alice, bob] = await Promise.all([mintToken({ scope: 'batches:read', subject: 'alice' }), mintToken({ scope: 'batches:read', subject: 'bob' })]);
    const ONE = 'subscription($id: ID!) { batchProgress(id: $id) { batch { id } } }';
    const ids = t.batches.syllable;
    const mine: SseSubscription[] = [];
    for (const id of ids.slice(0, 3)) {
      const subscription = await subscribeSse(t.h.graphqlUrl, ONE, { id }, { authorization: `Bearer ${alice}` });
      expect((await subscription.next())?.data).toBeTruthy();
      mine.push(subscription);
    }
    const fourth = await subscribeSse(t.h.graphqlUrl, ONE, { id: ids[3]! }, { authorization: `Bearer ${alice}` });
    const refusal = await fourth.next();
    expect(refusal?.errors?.[0]?.extensions).toMatchObject({ code: 'SUBSCRIPTION_LIMIT', limit: 3 });
    expect(refusal?.errors?.[0]?.message).toMatch(/MAX_SUBSCRIPTIONS_PER_CALLER/);
    fourth.close();
    const other = await subscribeSse(t.h.graphqlUrl, ONE, { id: ids[3]! }, { authorization: `Bearer ${bob}` });
    expect((await other.next())?.data).toBeTruthy();
    other.close();
    for (const subscription of mine) subscription.close();
  });
});

describe("a caller's share of a vendor's budget", () => {
  // Bolna's limit 40 a minute, a quarter of it per caller: 10.
  const t = harnessPerDescribe({ env: { AUTH_JWT_SECRET: TEST_JWT_SECRET, BOLNA_RATE_LIMIT_PER_MINUTE: '40', CALLER_VENDOR_BUDGET_PERCENT: '25', CACHE_TTL_MS: '60000' } });
  const bolnaId = (n: number) => `bolna:${n.toString(16).padStart(32, 'a')}`;
  const read = (token: string, id: string) => t.h.post({ query: 'query($id: ID!) { batch(id: $id) { id } }', variables: { id } }, { authorization: `Bearer ${token}` });

  it("one caller's reads past its share are RATE_LIMITED with retryAfter; another caller is not held back, and cached reads cost nothing", async () => {
    const [alice, bob] = await Promise.all([mintToken({ scope: 'batches:read', subject: 'alice' }), mintToken({ scope: 'batches:read', subject: 'bob' })]);
    const answers = [];
    for (let i = 0; i < 15; i += 1) answers.push(await read(alice, bolnaId(i)));
    const codes = answers.map((a) => codesOf(a.body)[0]);
    expect(codes.filter((c) => c === 'NOT_FOUND')).toHaveLength(10);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(5);
    const limited = answers.find((a) => codesOf(a.body)[0] === 'RATE_LIMITED')!;
    expect(limited.body.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    expect(limited.body.errors?.[0]?.message).toMatch(/CALLER_VENDOR_BUDGET_PERCENT/);
    expect((await t.h.calls()).bolna['GET /batches/{batch_id}']).toBe(10);
    // Bob has his own share.
    expect(codesOf((await read(bob, bolnaId(100))).body)).toEqual(['NOT_FOUND']);
    // A batch Alice reads from the cache costs her nothing: a real batch, read by Bob, then by Alice.
    const known = t.batches.bolna[0]!;
    expect(dataOf((await read(bob, known)).body as { data?: { batch: unknown } })).toEqual({ batch: { id: known } });
    const cached = await read(alice, known);
    expect(cached.body.errors).toBeUndefined();
  });
});
