import { createClient, type Client } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { dataOf, harnessPerDescribe } from './helpers/harness.js';
import { subscribeSse, type SseSubscription } from './helpers/sse.js';
import { mintToken, TEST_JWT_SECRET } from './helpers/tokens.js';
import { allBolnaBatches, vendorGet } from './helpers/vendor-raw.js';
import { webhookSignature } from '../src/server/bolna-webhook.js';

/**
 * Subscriptions over GraphQL over SSE against the real server and simulators: one poll loop per
 * batch however many watch it, events only on change, the last one when the batch ends.
 */

const PROGRESS = `subscription($id: ID!) { batchProgress(id: $id) { changed at staleSince batch { id status paused progress { total pending canceled finished } } } }`;
const BATCH_GET = 'GET /api/v1/outbound/batches/{batch_id}';

type Event = { batchProgress: { changed: string[]; at: string; staleSince: string | null; batch: { id: string; status: string; paused: boolean; progress: { total: number; pending: number; canceled: number; finished: number } } } };

async function nextEvent(subscription: SseSubscription): Promise<Event['batchProgress']> {
  const message = await subscription.next();
  if (!message) throw new Error('the subscription completed');
  if (message.errors?.length) throw new Error(`errors: ${JSON.stringify(message.errors)}`);
  return (message.data as Event).batchProgress;
}

describe('batchProgress over SSE', () => {
  // Fast polls for the test; no cache, so each poll is one vendor read the simulator counts.
  const t = harnessPerDescribe({ env: { POLL_INTERVAL_MS: '100', POLL_MAX_INTERVAL_MS: '400', CACHE_TTL_MS: '0', VENDOR_MAX_ATTEMPTS: '1', MAX_SUBSCRIPTIONS: '150' } });

  it('100 subscribers of one batch share one poll: the first event reaches all of them after one vendor read', async () => {
    const id = t.batches.active[0]!;
    const subscriptions = await Promise.all(Array.from({ length: 100 }, () => subscribeSse(t.h.graphqlUrl, PROGRESS, { id })));
    const first = await Promise.all(subscriptions.map(nextEvent));
    expect(new Set(first.map((e) => e.batch.id))).toEqual(new Set([id]));
    expect(first.every((e) => e.changed.length === 0 && e.staleSince === null)).toBe(true);
    // One read for all 100; a poller per subscriber would have made 100 at once.
    const afterFirst = (await t.h.calls()).syllable[BATCH_GET] ?? 0;
    expect(afterFirst).toBeGreaterThanOrEqual(1);
    expect(afterFirst).toBeLessThanOrEqual(3);
    for (const subscription of subscriptions) subscription.close();
  });

  it('sends an event only when something changed: a pause through the API is seen at once, with what changed', async () => {
    const id = t.batches.active[1]!;
    const subscription = await subscribeSse(t.h.graphqlUrl, PROGRESS, { id });
    const first = await nextEvent(subscription);
    expect(first).toMatchObject({ changed: [], batch: { id, status: 'ACTIVE', paused: false } });
    dataOf(await t.h.gql(`mutation($id: ID!) { pauseBatch(id: $id) { __typename } }`, { id }));
    const paused = await nextEvent(subscription);
    expect(paused.batch).toMatchObject({ status: 'PAUSED', paused: true });
    expect(paused.changed).toEqual(expect.arrayContaining(['status', 'paused']));
    expect(paused.changed).not.toContain('statusCounts');
    dataOf(await t.h.gql(`mutation($id: ID!) { resumeBatch(id: $id) { __typename } }`, { id }));
    const resumed = await nextEvent(subscription);
    expect(resumed.batch).toMatchObject({ status: 'ACTIVE', paused: false });
    subscription.close();
  });

  it('ends with the terminal state: a stopped Bolna batch gives its last event, then the stream completes', async () => {
    const running = dataOf(await t.h.gql<{ batches: { edges: Array<{ node: { id: string } }> } }, Record<string, never>>(`{ batches(first: 100, vendor: BOLNA, status: ACTIVE) { edges { node { id } } } }`, {})).batches.edges[0]!.node.id;
    const subscription = await subscribeSse(t.h.graphqlUrl, PROGRESS, { id: running });
    expect(await nextEvent(subscription)).toMatchObject({ batch: { id: running, status: 'ACTIVE' } });
    dataOf(await t.h.gql(`mutation($id: ID!) { stopBatch(id: $id) { __typename } }`, { id: running }));
    const last = await nextEvent(subscription);
    expect(last.batch.status).toBe('COMPLETED');
    expect(last.changed).toEqual(expect.arrayContaining(['status', 'progress']));
    expect(await subscription.next()).toBeNull();
  });

  it('a vendor outage during a watch: one event says the data is stale, and events resume when it recovers', async () => {
    const id = t.batches.active[2]!;
    const path = `/api/v1/outbound/batches/${id.slice('syllable:'.length)}`;
    const subscription = await subscribeSse(t.h.graphqlUrl, PROGRESS, { id });
    await nextEvent(subscription);
    await t.h.fault('syllable', { method: 'GET', path, status: 503 });
    const stale = await nextEvent(subscription);
    expect(stale.changed).toEqual(['staleSince']);
    expect(stale.staleSince).not.toBeNull();
    await t.h.reset();
    const recovered = await nextEvent(subscription);
    expect(recovered.staleSince).toBeNull();
    expect(recovered.changed).toContain('staleSince');
    subscription.close();
  });

  it('refuses an unknown batch and a malformed id with typed errors', async () => {
    for (const [id, code] of [
      ['syllable:19990101.1', 'NOT_FOUND'],
      ['bolna:nope', 'INVALID_INPUT'],
    ] as const) {
      const subscription = await subscribeSse(t.h.graphqlUrl, PROGRESS, { id });
      const message = await subscription.next();
      expect(message?.errors?.[0]?.extensions, id).toMatchObject({ code });
      subscription.close();
    }
  });
});

describe('subscription limits', () => {
  const t = harnessPerDescribe({ env: { MAX_SUBSCRIPTIONS: '2', POLL_INTERVAL_MS: '200' } });

  it('past MAX_SUBSCRIPTIONS a subscription is refused with SUBSCRIPTION_LIMIT; a slot frees when one leaves', async () => {
    const id = t.batches.active[0]!;
    const held = [await subscribeSse(t.h.graphqlUrl, PROGRESS, { id }), await subscribeSse(t.h.graphqlUrl, PROGRESS, { id })];
    await Promise.all(held.map(nextEvent));
    const refused = await subscribeSse(t.h.graphqlUrl, PROGRESS, { id });
    const message = await refused.next();
    expect(message?.errors?.[0]?.extensions).toMatchObject({ code: 'SUBSCRIPTION_LIMIT', limit: 2 });
    refused.close();
    held[0]!.close();
    // The server sees the client leave when its stream closes: a new subscription fits again.
    let admitted: Event['batchProgress'] | null = null;
    for (let attempt = 0; attempt < 50 && !admitted; attempt += 1) {
      const again = await subscribeSse(t.h.graphqlUrl, PROGRESS, { id });
      const answer = await again.next();
      if (answer?.data) admitted = (answer.data as Event).batchProgress;
      again.close();
      if (!admitted) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(admitted?.batch.id).toBe(id);
    held[1]!.close();
  });
});

/** A graphql-ws client over `ws`, as Apollo Client or urql would open one. */
function wsClient(url: string, connectionParams?: Record<string, unknown>) {
  return createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
}

/** The first `count` results of a graphql-ws subscription, then it is left. */
function firstResults(client: Client, query: string, variables: Record<string, unknown>, count: number): Promise<Array<{ data?: unknown; errors?: unknown }>> {
  return new Promise((resolve, reject) => {
    const results: Array<{ data?: unknown; errors?: unknown }> = [];
    const leave = client.subscribe(
      { query, variables },
      {
        next: (result) => {
          results.push(result);
          if (results.length === count) {
            leave();
            resolve(results);
          }
        },
        error: (error) => (results.length > 0 ? resolve(results) : reject(error instanceof Error ? error : new Error(JSON.stringify(error)))),
        complete: () => resolve(results),
      },
    );
  });
}

describe('batchProgress over graphql-ws', () => {
  const t = harnessPerDescribe({ env: { POLL_INTERVAL_MS: '100', POLL_MAX_INTERVAL_MS: '400', CACHE_TTL_MS: '0', MAX_SUBSCRIPTIONS_PER_CONNECTION: '2' } });

  it('10 WebSocket and 100 SSE subscribers of one batch share one poll', async () => {
    const id = t.batches.active[0]!;
    const clients = Array.from({ length: 10 }, () => wsClient(t.h.graphqlUrl));
    const sse = await Promise.all(Array.from({ length: 100 }, () => subscribeSse(t.h.graphqlUrl, PROGRESS, { id })));
    const [viaWs, viaSse] = await Promise.all([Promise.all(clients.map((client) => firstResults(client, PROGRESS, { id }, 1))), Promise.all(sse.map(nextEvent))]);
    expect(viaWs.map((results) => (results[0]?.data as Event).batchProgress.batch.id)).toEqual(clients.map(() => id));
    expect(viaSse.every((event) => event.batch.id === id)).toBe(true);
    expect((await t.h.calls()).syllable[BATCH_GET]).toBeLessThanOrEqual(3);
    for (const subscription of sse) subscription.close();
    for (const client of clients) void client.dispose();
  });

  it('a connection holds at most MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions', async () => {
    const client = wsClient(t.h.graphqlUrl);
    const open: Array<() => void> = [];
    const outcomes: unknown[] = [];
    for (const id of t.batches.active.slice(0, 3)) {
      await new Promise<void>((resolve) => {
        open.push(
          client.subscribe({ query: PROGRESS, variables: { id } }, {
            next: () => resolve(),
            error: (error) => {
              outcomes.push(error);
              resolve();
            },
            complete: () => resolve(),
          }),
        );
      });
    }
    expect(outcomes).toHaveLength(1);
    expect(JSON.stringify(outcomes[0])).toContain('SUBSCRIPTION_LIMIT');
    for (const leave of open) leave();
    void client.dispose();
  });
});

describe('graphql-ws with authentication', () => {
  const t = harnessPerDescribe({ env: { AUTH_JWT_SECRET: TEST_JWT_SECRET, POLL_INTERVAL_MS: '200' } });

  it('needs a token with batches:read: none closes the connection, a token without the scope is FORBIDDEN', async () => {
    const id = t.batches.active[0]!;
    await expect(firstResults(wsClient(t.h.graphqlUrl), PROGRESS, { id }, 1)).rejects.toBeDefined();
    const writer = wsClient(t.h.graphqlUrl, { authorization: `Bearer ${await mintToken({ scope: 'batches:write' })}` });
    const [refused] = await firstResults(writer, PROGRESS, { id }, 1);
    expect(refused?.data ?? null).toBeNull();
    expect((refused?.errors as Array<{ extensions?: { code?: string; requiredScope?: string } }>)[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const reader = wsClient(t.h.graphqlUrl, { authorization: `Bearer ${await mintToken({ scope: 'batches:read' })}` });
    const [first] = await firstResults(reader, PROGRESS, { id }, 1);
    expect((first?.data as Event).batchProgress.batch.id).toBe(id);
    void writer.dispose();
    void reader.dispose();
  });
});

describe('the poll budget', () => {
  // Bolna allows 60 calls a minute here and polls may use half: 30 a minute for every watched batch together.
  const t = harnessPerDescribe({ env: { BOLNA_RATE_LIMIT_PER_MINUTE: '60', POLL_BUDGET_PERCENT: '50', POLL_INTERVAL_MS: '100', POLL_MAX_INTERVAL_MS: '100', CACHE_TTL_MS: '0' } });

  it('stretches the intervals evenly when the batches watched need more polls than the budget', async () => {
    const ids = t.batches.bolna.slice(0, 3);
    const subscriptions = await Promise.all(ids.map((id) => subscribeSse(t.h.graphqlUrl, PROGRESS, { id })));
    await Promise.all(subscriptions.map(nextEvent));
    // At 100 ms each, 3 batches would poll ~30 times in a second; the budget allows one each per 6 s.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await t.h.calls()).bolna['GET /batches/{batch_id}']).toBe(3);
    for (const subscription of subscriptions) subscription.close();
  });
});

describe('progress history and ETA', () => {
  const t = harnessPerDescribe({ env: { CACHE_TTL_MS: '0' } });
  const QUERY = `query($id: ID!) { batch(id: $id) { progressHistory { at total pending completed finished } eta { finishesAt callsPerHour basis expiresBeforeFinish unfinishedAtExpiry } } }`;
  type Data = {
    batch: {
      progressHistory: Array<{ at: string; total: number; pending: number; completed: number; finished: number }>;
      eta: { finishesAt: string | null; callsPerHour: number | null; basis: string; expiresBeforeFinish: boolean; unfinishedAtExpiry: number };
    };
  };

  async function vendorSays(id: string, pending: number, completed: number, expiresOn: string) {
    const batchId = id.slice('syllable:'.length);
    await t.h.override('syllable', {
      method: 'GET',
      path: `/api/v1/outbound/batches/${batchId}`,
      status: 200,
      times: 1,
      body: { batch_id: batchId, campaign_id: 101, last_updated_by: 'ops@example.com', status: 'ACTIVE', expires_on: expiresOn, status_counts: { PENDING: pending, COMPLETED: completed } },
    });
    return dataOf(await t.h.gql<Data, { id: string }>(QUERY, { id }));
  }

  it('keeps a snapshot per observed change and estimates the finish from the observed pace', async () => {
    const id = t.batches.active[3]!;
    const far = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const first = await vendorSays(id, 100, 0, far);
    expect(first.batch.eta).toMatchObject({ finishesAt: null, callsPerHour: null, expiresBeforeFinish: false });
    // The same counts again add nothing.
    await vendorSays(id, 100, 0, far);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await vendorSays(id, 80, 20, far);
    const history = second.batch.progressHistory;
    expect(history.map((s) => [s.pending, s.completed])).toEqual([[100, 0], [80, 20]]);
    const elapsedMs = Date.parse(history[1]!.at) - Date.parse(history[0]!.at);
    const perHour = (20 * 3_600_000) / elapsedMs;
    expect(second.batch.eta.callsPerHour! / perHour).toBeCloseTo(1, 2);
    const expectedFinish = Date.parse(history[1]!.at) + (80 / perHour) * 3_600_000;
    expect(Math.abs(Date.parse(second.batch.eta.finishesAt!) - expectedFinish)).toBeLessThan(0.1 * (80 / perHour) * 3_600_000);
    expect(second.batch.eta.basis).toMatch(/^observed/);
    expect(second.batch.eta.expiresBeforeFinish).toBe(false);
  });

  it('warns when the expiry comes before the finish, with the targets it would leave', async () => {
    const id = t.batches.active[4]!;
    const far = new Date(Date.now() + 86_400_000).toISOString();
    await vendorSays(id, 1_000, 0, far);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // 10 finished in ≥ 300 ms: ≤ 120,000 an hour, so 990 left take ≥ 29 s; the batch expires in 5 s.
    const soon = new Date(Date.now() + 5_000).toISOString();
    const answer = await vendorSays(id, 990, 10, soon);
    expect(answer.batch.eta.expiresBeforeFinish).toBe(true);
    expect(answer.batch.eta.unfinishedAtExpiry).toBeGreaterThan(0);
    expect(answer.batch.eta.unfinishedAtExpiry).toBeLessThan(990);
  });
});

describe('a simulated batch making calls', () => {
  // Every running demo batch places 36,000 calls an hour (10 a second) in simulated time.
  const t = harnessPerDescribe({ callsPerHour: 36_000, env: { POLL_INTERVAL_MS: '250', POLL_MAX_INTERVAL_MS: '250', CACHE_TTL_MS: '0' } });
  type Listed = { batches: { edges: Array<{ node: { id: string; totalCount: number; progress: { pending: number } } }> } };

  async function biggestRunning(): Promise<string> {
    const { batches } = dataOf(await t.h.gql<Listed, Record<string, never>>(`{ batches(first: 100, vendor: SYLLABLE, status: ACTIVE) { edges { node { id totalCount progress { pending } } } } }`, {}));
    return [...batches.edges].sort((a, b) => b.node.progress.pending - a.node.progress.pending)[0]!.node.id;
  }

  it('ticks: each poll that sees calls placed is an event, and the ETA pace is the simulated rate within 10 %', async () => {
    const id = await biggestRunning();
    const subscription = await subscribeSse(t.h.graphqlUrl, PROGRESS, { id });
    const events = [await nextEvent(subscription)];
    while (Date.parse(events.at(-1)!.at) - Date.parse(events[0]!.at) < 3_000) events.push(await nextEvent(subscription));
    subscription.close();
    expect(events.slice(1).every((event) => event.changed.includes('progress'))).toBe(true);
    // Each call finishes a target (a waiting one, or one whose call was under way).
    const finished = events.map((event) => event.batch.progress.finished);
    expect(finished.every((value, i) => i === 0 || value > finished[i - 1]!)).toBe(true);
    const { batch } = dataOf(await t.h.gql<{ batch: { eta: { callsPerHour: number | null; finishesAt: string | null; basis: string } } }, { id: string }>(`query($id: ID!) { batch(id: $id) { eta { callsPerHour finishesAt basis } } }`, { id }));
    expect(batch.eta.basis).toMatch(/^observed/);
    expect(batch.eta.callsPerHour! / 36_000).toBeGreaterThan(0.9);
    expect(batch.eta.callsPerHour! / 36_000).toBeLessThan(1.1);
  });

  it('expiresBeforeFinish is true for a batch whose expiry comes before its calls can be made', async () => {
    const id = await biggestRunning();
    dataOf(await t.h.gql(`mutation($id: ID!, $at: DateTime) { updateBatchExpiry(id: $id, expiresOn: $at) { __typename } }`, { id, at: new Date(Date.now() + 20_000).toISOString() }));
    const query = `query($id: ID!) { batch(id: $id) { progress { pending } eta { expiresBeforeFinish unfinishedAtExpiry basis } } }`;
    type Data = { batch: { progress: { pending: number }; eta: { expiresBeforeFinish: boolean; unfinishedAtExpiry: number; basis: string } } };
    let answer = dataOf(await t.h.gql<Data, { id: string }>(query, { id }));
    for (let i = 0; i < 40 && !answer.batch.eta.basis.startsWith('observed'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = dataOf(await t.h.gql<Data, { id: string }>(query, { id }));
    }
    // Thousands waiting at 10 a second cannot all be called in 20 s.
    expect(answer.batch.progress.pending).toBeGreaterThan(1_000);
    expect(answer.batch.eta.expiresBeforeFinish).toBe(true);
    expect(answer.batch.eta.unfinishedAtExpiry).toBeGreaterThan(500);
  });
});

describe('back-off', () => {
  const t = harnessPerDescribe({ env: { POLL_INTERVAL_MS: '100', POLL_MAX_INTERVAL_MS: '800', CACHE_TTL_MS: '0' } });

  it('a batch that does not change is polled ever less often (100, 200, 400, 800 ms…), not at the base interval', async () => {
    const id = t.batches.active[5]!;
    const subscription = await subscribeSse(t.h.graphqlUrl, PROGRESS, { id });
    await nextEvent(subscription);
    await t.h.reset();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const polls = (await t.h.calls()).syllable[BATCH_GET] ?? 0;
    subscription.close();
    // At a fixed 100 ms this would be about 20.
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(7);
  });
});

describe('Bolna webhooks', () => {
  const SECRET = 'webhook-secret-0123456789';
  // Polls every minute: an event within seconds can only come from the webhook.
  const t = harnessPerDescribe({ env: { BOLNA_WEBHOOK_SECRET: SECRET, POLL_INTERVAL_MS: '60000' } });
  const hook = (body: unknown, init: { path?: string; secret?: string } = {}) =>
    fetch(`${t.h.server.baseUrl}${init.path ?? '/webhooks/bolna'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(init.secret !== undefined ? { 'x-webhook-secret': init.secret } : {}) },
      body: JSON.stringify(body),
    });

  it('a webhook about a watched batch brings its change at once, read from Bolna; others change nothing', async () => {
    const id = t.batches.bolna[0]!;
    const batchId = id.slice('bolna:'.length);
    const subscription = await subscribeSse(t.h.graphqlUrl, PROGRESS, { id });
    const first = await nextEvent(subscription);
    const raw = (await vendorGet(t.h.simulators, 'bolna', `/batches/${batchId}`)) as Record<string, unknown>;
    await t.h.reset();
    await t.h.override('bolna', { method: 'GET', path: `/batches/${batchId}`, status: 200, body: { ...raw, execution_status: { completed: first.batch.progress.total } } });
    const accepted = await hook({ id: 'execution-1', batch_id: batchId, status: 'completed' }, { secret: SECRET });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ accepted: true, watched: true });
    const next = await nextEvent(subscription);
    expect(next.changed).toContain('progress');
    expect(next.batch.progress.pending).toBe(0);
    subscription.close();

    // A batch nobody watches: accepted, nothing read.
    await t.h.reset();
    const other = await hook({ id: 'execution-2', batch_id: t.batches.bolna[1]!.slice('bolna:'.length), status: 'busy' }, { path: `/webhooks/bolna/${SECRET}` });
    expect(await other.json()).toEqual({ accepted: true, watched: false });
    expect(await t.h.totalCalls()).toBe(0);
  });

  it('1,000 replays of one webhook cause at most one read: the first is accepted, every replay refused', async () => {
    const id = t.batches.bolna[2]!;
    const batchId = id.slice('bolna:'.length);
    const subscription = await subscribeSse(t.h.graphqlUrl, PROGRESS, { id });
    await nextEvent(subscription);
    await t.h.reset();
    const body = { id: 'execution-replayed', batch_id: batchId, status: 'completed' };
    const statuses: number[] = [];
    for (let sent = 0; sent < 1_000; sent += 50) {
      statuses.push(...(await Promise.all(Array.from({ length: 50 }, async () => (await hook(body, { secret: SECRET })).status))));
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(999);
    // Distinct webhooks about the batch (real status changes) within one poll interval: one more read at most.
    const distinct = await Promise.all(Array.from({ length: 100 }, (_, i) => hook({ id: `execution-${i}`, batch_id: batchId, status: 'ringing' }, { secret: SECRET })));
    expect(distinct.every((response) => response.status === 202)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await t.h.calls()).bolna['GET /batches/{batch_id}'] ?? 0).toBeLessThanOrEqual(2);
    subscription.close();
  });

  it('a signed webhook (timestamp and HMAC of the body) is accepted once; a bad signature or an old timestamp is refused', async () => {
    const batchId = t.batches.bolna[3]!.slice('bolna:'.length);
    const signed = (body: string, timestamp: number, secret = SECRET) =>
      fetch(`${t.h.server.baseUrl}/webhooks/bolna`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-timestamp': String(timestamp), 'x-webhook-signature': `sha256=${webhookSignature(secret, String(timestamp), body)}` },
        body,
      });
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ id: 'execution-signed', batch_id: batchId, status: 'busy' });
    expect((await signed(body, now)).status).toBe(202);
    expect((await signed(body, now)).status).toBe(409);
    expect((await signed(body, now - 600)).status).toBe(401);
    const forged = await signed(body, now + 1, 'another-secret-0123456789');
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: 'The webhook signature does not verify.' });
  });

  it('refuses a wrong or missing secret and a body that is not JSON', async () => {
    expect((await hook({ batch_id: 'x' })).status).toBe(401);
    expect((await hook({ batch_id: 'x' }, { secret: 'wrong-secret-0123456789' })).status).toBe(401);
    const malformed = await fetch(`${t.h.server.baseUrl}/webhooks/bolna`, { method: 'POST', headers: { 'x-webhook-secret': SECRET }, body: '{nope' });
    expect(malformed.status).toBe(400);
  });
});

describe('simulated time moved ahead by a test', () => {
  const t = harnessPerDescribe({ callsPerHour: 3_600, env: { CACHE_TTL_MS: '0' } });
  const PENDING = `{ batches(first: 100, vendor: SYLLABLE, status: ACTIVE) { edges { node { id progress { pending finished } } } } }`;
  type Data = { batches: { edges: Array<{ node: { id: string; progress: { pending: number; finished: number } } }> } };

  it('POST /__sim/clock moves the simulator ahead: ten minutes at 3,600 calls an hour place 600 calls', async () => {
    const before = dataOf(await t.h.gql<Data, Record<string, never>>(PENDING, {})).batches.edges.map((e) => e.node);
    const biggest = [...before].sort((a, b) => b.progress.pending - a.progress.pending)[0]!;
    const moved = await fetch(`${t.h.simulators.syllable.url}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 600_000 }) });
    expect(moved.status).toBe(200);
    const after = dataOf(await t.h.gql<Data, Record<string, never>>(PENDING, {})).batches.edges.map((e) => e.node).find((n) => n.id === biggest.id)!;
    // Each call finishes a target: a waiting one, or one whose call was under way.
    const placed = after.progress.finished - biggest.progress.finished;
    // 600 for the ten minutes, plus the second or so of real time the test itself took.
    expect(placed).toBeGreaterThanOrEqual(600);
    expect(placed).toBeLessThanOrEqual(610);
  });
});

describe('the demo, at its own pace', () => {
  // As `npm start` runs it: every running batch at its own pace (sped up for the demo).
  const t = harnessPerDescribe({ demoPace: true, env: { CACHE_TTL_MS: '0' } });
  const RUNNING = `{ batches(first: 100) { edges { node { id status progress { pending inProgress finished total } eta { finishesAt stalledSince } } } } }`;
  type Node = { id: string; status: string; progress: { pending: number; inProgress: number; finished: number; total: number }; eta: { finishesAt: string | null; stalledSince: string | null } };
  const read = async () => dataOf(await t.h.gql<{ batches: { edges: Array<{ node: Node }> } }, Record<string, never>>(RUNNING, {})).batches.edges.map((e) => e.node);
  const advance = (ms: number) =>
    Promise.all(
      (['syllable', 'bolna'] as const).map((vendor) =>
        fetch(`${t.h.simulators[vendor].url}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) }),
      ),
    );
  const left = (node: Node) => node.progress.pending + node.progress.inProgress;

  it('every running batch moves within a minute of simulated time, finishes its calls under way, and no ETA lies in the past', async () => {
    const before = await read();
    const running = before.filter((n) => n.status === 'ACTIVE' && left(n) > 0);
    expect(running.length).toBeGreaterThanOrEqual(5);
    await advance(60_000);
    const after = new Map((await read()).map((n) => [n.id, n]));
    for (const batch of running) {
      const now = after.get(batch.id)!;
      // Expired in that minute: it stops, as a real one does.
      if (now.status === 'EXPIRED') continue;
      expect(now.progress.finished, batch.id).toBeGreaterThan(batch.progress.finished);
    }
    // Two days on, every batch still running has nothing left: calls under way finished too.
    await advance(48 * 3_600_000);
    const later = await read();
    for (const batch of later.filter((n) => n.status === 'ACTIVE')) expect(left(batch), batch.id).toBe(0);
    const readAt = Date.now();
    for (const batch of later) {
      if (batch.eta.finishesAt !== null) expect(Date.parse(batch.eta.finishesAt), batch.id).toBeGreaterThan(readAt - 1_000);
      // A finished batch has no finish to come.
      if (batch.progress.total > 0 && batch.progress.finished === batch.progress.total) expect(batch.eta.finishesAt, batch.id).toBeNull();
    }
  });

  it('a Bolna batch just created counts its valid contacts as pending', async () => {
    const created = (await allBolnaBatches(t.h.simulators)).filter((b) => b.status === 'created' && Object.keys((b.execution_status as object | undefined) ?? {}).length === 0);
    expect(created.length).toBeGreaterThan(0);
    for (const raw of created) {
      const { batch } = dataOf(await t.h.gql<{ batch: { totalCount: number; validContacts: number; progress: { pending: number; total: number } } }, { id: string }>('query($id: ID!) { batch(id: $id) { totalCount validContacts progress { pending total } } }', { id: `bolna:${raw.batch_id}` }));
      expect(batch.progress).toEqual({ pending: batch.validContacts, total: batch.validContacts });
      expect(batch.validContacts).toBeGreaterThan(0);
    }
  });
});

describe('each event of a subscription read afresh', () => {
  // Every read reaches the vendor (no shared cache), so only a stale per-subscription loader could hold a field back.
  const t = harnessPerDescribe({ callsPerHour: 7_200, largeBatchTargets: 500, env: { POLL_INTERVAL_MS: '200', CACHE_TTL_MS: '0' } });

  it('a field beyond the polled record (results of a status) follows the counts event after event', async () => {
    const { batches } = dataOf(await t.h.gql<{ batches: { edges: Array<{ node: { id: string; totalCount: number } }> } }, Record<string, never>>('{ batches(first: 5, vendor: SYLLABLE, status: ACTIVE) { edges { node { id totalCount } } } }', {}));
    const id = batches.edges.find((e) => e.node.totalCount === 500)!.node.id;
    const query = 'subscription($id: ID!) { batchProgress(id: $id) { batch { progress { completed } results(status: COMPLETED) { totalCount } } } }';
    const subscription = await subscribeSse(t.h.graphqlUrl, query, { id });
    const seen: Array<{ completed: number; results: number }> = [];
    while (seen.length < 6) {
      const message = await subscription.next(15_000);
      expect(message?.errors, JSON.stringify(message)).toBeUndefined();
      const batch = (message!.data as { batchProgress: { batch: { progress: { completed: number }; results: { totalCount: number } } } }).batchProgress.batch;
      seen.push({ completed: batch.progress.completed, results: batch.results.totalCount });
    }
    subscription.close();
    // The results are read at each event, a moment after the poll: never behind the counts, and
    // never ahead by more than the calls placed in that moment.
    for (const event of seen) {
      expect(event.results).toBeGreaterThanOrEqual(event.completed);
      expect(event.results - event.completed).toBeLessThanOrEqual(5);
    }
    expect(seen.at(-1)!.results).toBeGreaterThan(seen[0]!.results);
  }, 60_000);
});
