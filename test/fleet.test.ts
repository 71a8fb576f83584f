import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_QUERY } from '../src/server/app.js';
import type { LoggedRequest, SimStats } from '../src/simulators/sim-server.js';
import { startFleet, type Replica, type RunningFleet } from '../scripts/fleet.js';
import { redisAvailable } from './helpers/redis-server.js';
import { subscribeSse, type SseSubscription } from './helpers/sse.js';

/**
 * Three replicas behind Hive Gateway, sharing one redis-server, over the vendor simulators: all
 * real processes on 127.0.0.1 (`npm run fleet`). Toward each vendor the fleet behaves like one
 * careful client: one rate budget, one read per key per TTL, one poller per batch, and it keeps
 * serving when a replica or Redis goes away.
 */

const suite = redisAvailable() ? describe : describe.skip;

const POLL_MS = 1_000;
const SYLLABLE_DASHBOARD = `{ batches(first: 10, vendor: SYLLABLE) { totalCount edges { node { id status progress { finishedFraction } } } } }`;
const TTL_MS = 2_000;
const BOLNA_LIMIT = 900;
const DEADLINE_MS = 8_000;

type Vendor = 'syllable' | 'bolna';
interface Answer {
  readonly status: number;
  readonly ms: number;
  readonly body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string; retryAfter?: number } }> } | null;
}

suite('a fleet of three replicas behind a federation gateway', () => {
  let fleet: RunningFleet;
  const redis = () => new Redis(fleet.redis.url, { lazyConnect: false, maxRetriesPerRequest: 1 });

  beforeAll(async () => {
    fleet = await startFleet({
      replicas: 3,
      env: {
        POLL_INTERVAL_MS: String(POLL_MS),
        POLL_MAX_INTERVAL_MS: String(POLL_MS),
        CACHE_TTL_MS: String(TTL_MS),
        BOLNA_RATE_LIMIT_PER_MINUTE: String(BOLNA_LIMIT),
        // The burst below is one caller's (the gateway's address, auth off): this test is of the fleet's budget, not a caller's share.
        CALLER_VENDOR_BUDGET_PERCENT: '100',
        // A call may wait this long for a rate-limit slot; the test's client waits longer, so a
        // request without an answer is one that hung.
        REQUEST_DEADLINE_MS: String(DEADLINE_MS),
      },
      // A call a second in each running batch, so a watched batch changes at every other poll.
      simulator: { progress: { mode: 'realtime', ratePerHour: 3_600 } },
    });
  }, 120_000);
  afterAll(() => fleet?.stop(), 60_000);

  const admin = async (vendor: Vendor, path: string, init?: RequestInit) => {
    const response = await fetch(`${fleet.simulators[vendor].url}/__sim/${path}`, init);
    return response.status === 204 ? null : ((await response.json()) as unknown);
  };
  const resetVendors = () => Promise.all((['syllable', 'bolna'] as const).map((v) => admin(v, 'stats/reset', { method: 'POST' })));
  const vendorLog = async (vendor: Vendor) => (await admin(vendor, 'requests')) as LoggedRequest[];
  const stats = async (vendor: Vendor) => (await admin(vendor, 'stats')) as SimStats;

  async function post(url: string, query: string, variables: Record<string, unknown> = {}, timeoutMs = DEADLINE_MS + 10_000): Promise<Answer> {
    const started = performance.now();
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      let body: Answer['body'] = null;
      try {
        body = JSON.parse(text) as Answer['body'];
      } catch {
        body = null;
      }
      return { status: response.status, ms: performance.now() - started, body };
    } catch {
      // No answer within the timeout: the request hung (or the connection died).
      return { status: 0, ms: performance.now() - started, body: null };
    }
  }
  const viaGateway = (query: string, variables?: Record<string, unknown>) => post(fleet.gatewayUrl, query, variables);
  const ok = (answer: Answer) => answer.status === 200 && !!answer.body?.data && !answer.body.errors;
  /** An answer a client can act on: data, or errors that each carry a code. */
  const typed = (answer: Answer) => answer.status !== 0 && answer.body !== null && (answer.body.errors ?? []).every((e) => typeof e.extensions?.code === 'string');

  async function metric(replica: Replica, name: string): Promise<number> {
    const text = await (await fetch(`${replica.baseUrl}/metrics`, { headers: { authorization: `Bearer ${fleet.metricsToken}` } })).text();
    return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
  }
  const alive = () => fleet.replicas.filter((r) => r.alive);

  async function readyOf(replica: Replica): Promise<{ status: string; fleet: { mode: string; replica: string } }> {
    return (await (await fetch(`${replica.baseUrl}/ready`)).json()) as { status: string; fleet: { mode: string; replica: string } };
  }

  async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('200 dashboards for 30 s through the gateway: no errors, and at most one vendor call per key per TTL fleet-wide', async () => {
    await resetVendors();
    const answers: Answer[] = [];
    const end = Date.now() + 30_000;
    // Each dashboard reloads the README query every 4 s, the 200 spread over those 4 s.
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, (i * 4_000) / 200));
        while (Date.now() < end) {
          const started = Date.now();
          answers.push(await viaGateway(EXAMPLE_QUERY));
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, 4_000 - (Date.now() - started))));
        }
      }),
    );
    expect(answers.length).toBeGreaterThan(1_200);
    expect(answers.filter((a) => !ok(a))).toEqual([]);
    const figures: string[] = [];
    for (const vendor of ['syllable', 'bolna'] as const) {
      const byKey = new Map<string, number[]>();
      for (const request of await vendorLog(vendor)) {
        const key = `${request.method} ${request.path}${request.query}`;
        byKey.set(key, [...(byKey.get(key) ?? []), request.at]);
      }
      expect(byKey.size).toBeGreaterThan(0);
      for (const [key, times] of byKey) {
        // Calls of one key, in order, are a TTL apart: never two in one TTL, whichever replica made them.
        const gaps = times.slice(1).map((at, i) => at - times[i]!);
        expect(Math.min(...gaps, Infinity), `${vendor} ${key}`).toBeGreaterThanOrEqual(TTL_MS - 50);
        expect(times.length, `${vendor} ${key}`).toBeLessThanOrEqual(Math.ceil(30_000 / TTL_MS) + 2);
      }
      const gaps = [...byKey.values()].flatMap((times) => times.slice(1).map((at, i) => at - times[i]!));
      figures.push(`${vendor}: ${byKey.size} keys, ${[...byKey.values()].reduce((n, t) => n + t.length, 0)} calls, shortest gap ${Math.min(...gaps)} ms`);
    }
    console.log(`fleet dashboards: ${answers.length} answers, 0 errors; ${figures.join('; ')}`);
  }, 90_000);

  describe('live progress', () => {
    const subscriptions: Array<{ replica: Replica; sub: SseSubscription; events: number[] }> = [];
    let batchId = '';
    let leaseKey = '';

    afterAll(() => {
      for (const { sub } of subscriptions) sub.close();
    });

    it('50 subscribers spread over the replicas on one batch: one replica polls it, all of them get its events', async () => {
      const answer = await viaGateway(`{ batches(first: 100, vendor: SYLLABLE, status: ACTIVE) { edges { node { id progress { pending } } } } }`);
      const edges = (answer.body!.data!.batches as { edges: Array<{ node: { id: string; progress: { pending: number } } }> }).edges;
      batchId = [...edges].sort((a, b) => b.node.progress.pending - a.node.progress.pending)[0]!.node.id;
      leaseKey = `outbound-graph:fleet:lease:${batchId}`;
      const query = `subscription($id: ID!) { batchProgress(id: $id) { at batch { id progress { pending } } } }`;
      for (let i = 0; i < 50; i += 1) {
        const replica = fleet.replicas[i % 3]!;
        subscriptions.push({ replica, sub: await subscribeSse(replica.graphqlUrl, query, { id: batchId }), events: [] });
      }
      // Each subscriber reads its events as they come, keeping their arrival times.
      for (const s of subscriptions) {
        void (async () => {
          for (;;) {
            const event = await s.sub.next(60_000).catch(() => null);
            if (!event) return;
            s.events.push(Date.now());
          }
        })();
      }
      await until(() => subscriptions.every((s) => s.events.length >= 1), 10_000, 'a first event for every subscriber');
      const before = await Promise.all(fleet.replicas.map((r) => metric(r, 'outbound_graph_live_polls_total')));
      const counted = subscriptions.map((s) => s.events.length);
      await new Promise((resolve) => setTimeout(resolve, 5 * POLL_MS));
      const after = await Promise.all(fleet.replicas.map((r) => metric(r, 'outbound_graph_live_polls_total')));
      const polled = after.map((n, i) => n - before[i]!);
      // One replica polled, about once an interval; the others not at all.
      expect(polled.filter((n) => n > 0)).toHaveLength(1);
      expect(Math.max(...polled)).toBeGreaterThanOrEqual(3);
      expect(Math.max(...polled)).toBeLessThanOrEqual(7);
      console.log(`fleet poller: polls per replica in ${5 * POLL_MS} ms: ${polled.join(', ')}`);
      const client = redis();
      const holder = await client.get(leaseKey);
      client.disconnect();
      expect(holder).toBe(fleet.replicas[polled.findIndex((n) => n > 0)]!.replicaId);
      // Every subscriber, on every replica, got the poller's events.
      expect(subscriptions.every((s, i) => s.events.length > counted[i]!)).toBe(true);
    }, 30_000);

    it('SIGKILL of the replica polling it: another takes the lease within two intervals, its subscribers miss nothing more, and the gateway fails over', async () => {
      const client = redis();
      const holderId = await client.get(leaseKey);
      const holder = fleet.replicas.find((r) => r.replicaId === holderId)!;
      const survivors = subscriptions.filter((s) => s.replica !== holder);
      // Requests keep coming through the gateway while the replica dies.
      const traffic: Answer[] = [];
      let running = true;
      const load = Promise.all(
        Array.from({ length: 4 }, async () => {
          while (running) traffic.push(await viaGateway(EXAMPLE_QUERY));
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const killedAt = Date.now();
      await holder.kill('SIGKILL');
      await until(async () => {
        const next = await client.get(leaseKey);
        return next !== null && next !== holderId;
      }, 10_000, 'the lease taken by a survivor');
      const takenAfter = Date.now() - killedAt;
      const newHolder = await client.get(leaseKey);
      client.disconnect();
      expect(alive().map((r) => r.replicaId)).toContain(newHolder);
      // The old lease lasts 1.5 intervals after its last renewal; a survivor checks every interval.
      expect(takenAfter).toBeLessThanOrEqual(2 * POLL_MS + 1_000);
      await until(() => survivors.every((s) => s.events.some((at) => at > killedAt)), 10_000, 'an event after the kill for every subscriber on a survivor');
      const firstAfter = Math.max(...survivors.map((s) => s.events.find((at) => at > killedAt)!));
      // Events resume within two intervals of the takeover, plus the second the batch takes to change.
      expect(firstAfter - killedAt).toBeLessThanOrEqual(takenAfter + 2 * POLL_MS + 1_000);
      running = false;
      await load;
      expect(traffic.length).toBeGreaterThan(10);
      // None hung; each is data or a typed error (in practice, data: queries go to the next replica).
      expect(traffic.filter((a) => !typed(a))).toEqual([]);
      expect(traffic.filter(ok).length).toBeGreaterThanOrEqual(traffic.length - 4);
      console.log(`fleet kill: lease taken ${takenAfter} ms after SIGKILL, events again after ${firstAfter - killedAt} ms; ${traffic.length} queries during it, ${traffic.filter(ok).length} with data`);
    }, 40_000);
  });

  it("a vendor's Retry-After seen by one replica holds every replica back until then", async () => {
    await resetVendors();
    const [first, second, third] = alive() as [Replica, Replica, ...Replica[]];
    await admin('bolna', 'faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'GET', path: '/batches/', status: 429, retryAfter: '2', times: 1 }) });
    const read = (replica: Replica) => post(replica.graphqlUrl, `query($id: ID!) { batch(id: $id) { id } }`, { id: `bolna:${randomBytes(16).toString('hex')}` });
    const held = read(first);
    await until(async () => (await vendorLog('bolna')).length >= 1, 5_000, 'the 429');
    const others = await Promise.all([read(second), read(third ?? second)]);
    const answers = [await held, ...others];
    const log = (await vendorLog('bolna')).filter((r) => r.path.startsWith('/batches/'));
    const refusedAt = log[0]!.at;
    // After the 429 nobody called Bolna for 2 s, although two other replicas had reads to make.
    expect(log.slice(1).every((r) => r.at >= refusedAt + 2_000 - 50)).toBe(true);
    expect(log.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}/, '{id}')}`), 'the 429, its retry, and the two held reads').toHaveLength(4);
    // Each read waited and then got its answer (the batch is unknown: null, NOT_FOUND).
    expect(answers.map((a) => a.body?.errors?.[0]?.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
  }, 30_000);

  it(`2,000 distinct Bolna reads at once: Bolna sees at most ${BOLNA_LIMIT} a minute from the fleet and answers no 429; the rest are RATE_LIMITED at once`, async () => {
    await resetVendors();
    const answers: Answer[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < 2_000) {
          next += 1;
          answers.push(await viaGateway(`query($id: ID!) { batch(id: $id) { id } }`, { id: `bolna:${randomBytes(16).toString('hex')}` }));
        }
      }),
    );
    const bolna = await stats('bolna');
    const reads = bolna.requests['GET /batches/{batch_id}'] ?? 0;
    expect(bolna.rateLimited).toBe(0);
    expect(bolna.maxInWindow).toBeLessThanOrEqual(BOLNA_LIMIT);
    const codes = answers.map((a) => a.body?.errors?.[0]?.extensions?.code ?? 'none');
    const refused = answers.filter((_, i) => codes[i] === 'RATE_LIMITED');
    const histogram = Object.fromEntries([...new Set(codes)].map((c) => [c, codes.filter((x) => x === c).length]));
    // Each read Bolna got is an answer (the id is unknown: NOT_FOUND); every other request was refused.
    expect(codes.filter((c) => c === 'NOT_FOUND').length, JSON.stringify(histogram)).toBe(reads);
    expect(refused.length, JSON.stringify(histogram)).toBe(2_000 - reads);
    expect(refused.length).toBeGreaterThan(1_000);
    expect(refused.every((a) => typeof a.body?.errors?.[0]?.extensions?.retryAfter === 'number')).toBe(true);
    // Refused up front, not after waiting for a slot a minute away.
    const slowest = [...refused.map((a) => a.ms)].sort((a, b) => a - b)[Math.floor(refused.length * 0.95)]!;
    expect(slowest).toBeLessThan(2_000);
    console.log(`fleet burst: ${JSON.stringify(histogram)}; Bolna busiest minute ${bolna.maxInWindow}, 429s ${bolna.rateLimited}; refused p95 ${Math.round(slowest)} ms`);
  }, 90_000);
  it('Redis stopped for 10 s and started again: no request fails, /ready and metrics say so, shared mode resumes by itself', async () => {
    const survivors = alive();
    const answers: Answer[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        // Syllable's batches: the burst before this test spent Bolna's minute.
        answers.push(await viaGateway(SYLLABLE_DASHBOARD));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await fleet.redis.stop();
    await until(async () => (await Promise.all(survivors.map(readyOf))).every((r) => r.fleet.mode === 'local' && r.status === 'degraded'), 5_000, 'every replica alone');
    expect(await Promise.all(survivors.map((r) => metric(r, 'outbound_graph_fleet_shared')))).toEqual(survivors.map(() => 0));
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await fleet.redis.restart();
    await until(async () => (await Promise.all(survivors.map(readyOf))).every((r) => r.fleet.mode === 'shared' && r.status === 'ready'), 15_000, 'every replica shared again');
    expect(await Promise.all(survivors.map((r) => metric(r, 'outbound_graph_fleet_shared')))).toEqual(survivors.map(() => 1));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    running = false;
    await load;
    expect(answers.length).toBeGreaterThan(30);
    expect(answers.filter((a) => !ok(a))).toEqual([]);
    console.log(`fleet Redis outage: ${answers.length} queries, all answered`);
    // Said once each way, per replica.
    for (const replica of survivors) {
      expect(replica.lines.filter((line) => line.includes('Redis lost')).length).toBe(1);
      expect(replica.lines.filter((line) => line.includes('Redis is back: rate budgets')).length).toBe(1);
    }
  }, 60_000);
});
