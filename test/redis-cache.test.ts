import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { startServer, type RunningServer } from '../src/server/server.js';
import { startSimulators, vendorEnvFor, type RunningSimulators } from '../src/simulators/index.js';
import { createLogger, lineDestination, type Logger } from '../src/logger.js';
import { redisAvailable, startRedis, type RedisProcess } from './helpers/redis-server.js';
import { allSyllableBatches } from './helpers/vendor-raw.js';

/**
 * Two API instances sharing one real redis-server and one pair of vendor simulators, all on
 * 127.0.0.1: at most one vendor read per key per TTL between them, writes seen by the next read
 * on the other instance, and Redis down or slow never failing a request.
 */

const SYLLABLE_GET = 'GET /api/v1/outbound/batches/{batch_id}';
const SYLLABLE_PUT = 'PUT /api/v1/outbound/batches/{batch_id}';
const BATCH = `query($id: ID!) { batch(id: $id) { id paused status } }`;

type Answer = { data?: { batch: { id: string; paused: boolean; status: string } | null }; errors?: Array<{ extensions?: Record<string, unknown> }> };

async function gql(server: RunningServer, query: string, variables: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as Answer;
}

/** Lines as `<level> <message>`, from the server's JSON log. */
function recordingLogger(lines: string[]): Logger {
  return createLogger({
    level: 'debug',
    destination: lineDestination((line) => {
      const { level, msg } = JSON.parse(line) as { level: string; msg: string };
      lines.push(`${level} ${msg}`);
    }),
  });
}

describe.runIf(redisAvailable())('the read cache shared through Redis', () => {
  let redis: RedisProcess;
  let sims: RunningSimulators;
  let a: RunningServer;
  let b: RunningServer;
  const logA: string[] = [];
  let batches: string[];

  beforeAll(async () => {
    redis = await startRedis();
    sims = await startSimulators();
    const env = {
      PORT: '0',
      AUTH_DISABLED: 'true',
      ...vendorEnvFor(sims),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `test-${process.pid}`,
      // Long enough that no answer expires during a test on a busy machine.
      CACHE_TTL_MS: '30000',
      // A busy machine can hold a command past the 250 ms default (in CI, with the other test
      // worker at full load, past 1 s once), and a replica then reads the vendor itself (correct,
      // but not the single call these tests count).
      REDIS_TIMEOUT_MS: '3000',
      // Results of the 20,000-target batch (megabytes) stay local; small answers are shared.
      REDIS_MAX_ENTRY_BYTES: String(2 * 1024 * 1024),
    };
    a = await startServer(loadConfig(env), { logger: recordingLogger(logA) });
    b = await startServer(loadConfig(env), { logger: recordingLogger([]) });
    batches = (await allSyllableBatches(sims)).filter((batch) => batch.status === 'ACTIVE').map((batch) => `syllable:${batch.batch_id}`);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sims?.close();
    await redis?.stop();
  });
  beforeEach(() => {
    sims.syllable.server.resetStats();
  });

  const gets = () => sims.syllable.server.stats().requests[SYLLABLE_GET] ?? 0;

  it('a batch read on one instance is served to the other without a vendor call', async () => {
    const id = batches[0]!;
    expect((await gql(a, BATCH, { id })).data?.batch?.id).toBe(id);
    expect((await gql(b, BATCH, { id })).data?.batch?.id).toBe(id);
    expect(gets()).toBe(1);
  });

  it('concurrent reads spread over both instances make one vendor call between them', async () => {
    const id = batches[1]!;
    sims.syllable.server.resetStats();
    await fetch(`${sims.syllable.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'GET', path: `/api/v1/outbound/batches/${id.slice(9)}`, latencyMs: 300, times: 5 }),
    });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => gql(i % 2 ? a : b, BATCH, { id })));
    expect(answers.every((answer) => answer.data?.batch?.id === id)).toBe(true);
    expect(gets()).toBe(1);
  });

  it('a pause on one instance is seen by the next read on the other', async () => {
    const id = batches[2]!;
    expect((await gql(a, BATCH, { id })).data?.batch?.paused).toBe(false);
    expect((await gql(b, BATCH, { id })).data?.batch?.paused).toBe(false);
    const pause = await gql(a, `mutation($id: ID!) { pauseBatch(id: $id) { __typename } }`, { id });
    expect(pause.errors).toBeUndefined();
    expect((await gql(b, BATCH, { id })).data?.batch).toMatchObject({ paused: true, status: 'PAUSED' });
    expect((await gql(a, BATCH, { id })).data?.batch?.paused).toBe(true);
    // One read, the pause's own read and PUT, then one read after the write for both instances.
    expect(sims.syllable.server.stats().requests).toEqual({ [SYLLABLE_GET]: 3, [SYLLABLE_PUT]: 1 });
  });

  it('answers over REDIS_MAX_ENTRY_BYTES stay in each instance: each reads them once, nothing waits or fails', async () => {
    const raw = await allSyllableBatches(sims);
    const large = `syllable:${raw[0]!.batch_id}`; // 20,000 targets
    const small = `syllable:${raw[1]!.batch_id}`; // 1,200 targets, about 0.6 MB
    const query = `query($id: ID!) { batch(id: $id) { results(first: 3) { totalCount } } }`;
    type Results = { data?: { batch: { results: { totalCount: number } } } };
    sims.syllable.server.resetStats();
    const results = () => sims.syllable.server.stats().requests['GET /api/v1/outbound/batches/{batch_id}/results'] ?? 0;
    for (const server of [a, b, a, b]) expect(((await gql(server, query, { id: large })) as Results).data?.batch.results.totalCount).toBe(20_000);
    expect(results()).toBe(2);
    for (const server of [a, b]) await gql(server, query, { id: small });
    expect(results()).toBe(3);
    expect(logA.some((line) => line.startsWith('warn Redis'))).toBe(false);
  });

  it('Redis slow: reads fall back to the vendors and answer', async () => {
    const blocker = new Redis(redis.url);
    // Blocks the server for 3.5 s, beyond REDIS_TIMEOUT_MS (3,000 ms here).
    const blocked = blocker.call('DEBUG', 'SLEEP', '3.5').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const id = batches[3]!;
    expect((await gql(a, BATCH, { id })).data?.batch?.id).toBe(id);
    await blocked;
    blocker.disconnect();
  });

  it('Redis down: reads and writes still work, the log says so once, and sharing resumes by itself when it is back', async () => {
    await redis.stop();
    const id = batches[4]!;
    for (let i = 0; i < 3; i += 1) expect((await gql(a, BATCH, { id })).data?.batch?.id).toBe(id);
    const pause = await gql(a, `mutation($id: ID!) { pauseBatch(id: $id) { __typename } }`, { id });
    expect((pause.data as unknown as { pauseBatch: { __typename: string } }).pauseBatch.__typename).toBe('BatchMutationSuccess');
    expect((await gql(b, BATCH, { id })).data?.batch?.paused).toBe(true);
    expect(logA.filter((line) => line.startsWith('warn Redis is unavailable'))).toHaveLength(1);

    await redis.restart();
    const deadline = Date.now() + 10_000;
    while (!logA.some((line) => line.includes('Redis is back')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logA.some((line) => line.includes('Redis is back'))).toBe(true);
    // B may still hold its own copy from the outage; a batch neither has read shows the sharing.
    const fresh = batches[5]!;
    sims.syllable.server.resetStats();
    expect((await gql(a, BATCH, { id: fresh })).data?.batch?.id).toBe(fresh);
    expect((await gql(b, BATCH, { id: fresh })).data?.batch?.id).toBe(fresh);
    expect(gets()).toBe(1);
    await gql(a, `mutation($id: ID!) { resumeBatch(id: $id) { __typename } }`, { id });
  });
});

describe.runIf(redisAvailable())('progress history shared through Redis', () => {
  let redis: RedisProcess;
  let sims: RunningSimulators;
  const servers: RunningServer[] = [];
  let env: Record<string, string>;
  const HISTORY = `query($id: ID!) { batch(id: $id) { progressHistory { at pending completed } } }`;
  type History = { data?: { batch: { progressHistory: Array<{ at: string; pending: number; completed: number }> } | null } };

  beforeAll(async () => {
    redis = await startRedis();
    sims = await startSimulators();
    // No read cache: every read reaches the vendor, and each answer is an observation.
    env = { PORT: '0', AUTH_DISABLED: 'true', ...vendorEnvFor(sims), REDIS_URL: redis.url, REDIS_KEY_PREFIX: `history-${process.pid}`, CACHE_TTL_MS: '0' };
    servers.push(await startServer(loadConfig(env), { logger: recordingLogger([]) }), await startServer(loadConfig(env), { logger: recordingLogger([]) }));
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await sims?.close();
    await redis?.stop();
  });

  async function vendorCounts(batchId: string, pending: number, completed: number, times: number) {
    const body = { batch_id: batchId, campaign_id: 101, last_updated_by: 'ops@example.com', status: 'ACTIVE', status_counts: { PENDING: pending, COMPLETED: completed } };
    await fetch(`${sims.syllable.url}/__sim/overrides`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'GET', path: `/api/v1/outbound/batches/${batchId}`, status: 200, body, times }) });
  }

  it("one instance's observations are the other's history, added once however many observe them, and kept across restarts", async () => {
    const batchId = (await allSyllableBatches(sims)).find((batch) => batch.status === 'ACTIVE')!.batch_id;
    const id = `syllable:${batchId}`;
    const [a, b] = servers as [RunningServer, RunningServer];
    await vendorCounts(batchId, 50, 0, 2);
    await gql(a, BATCH, { id });
    await gql(b, BATCH, { id });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // From here on the vendor says 40/10 to every read, the history queries' own included.
    await vendorCounts(batchId, 40, 10, 1_000);
    await gql(b, BATCH, { id });
    // Appends are sent without waiting for Redis: give them a moment to land.
    let seen: Array<{ pending: number; completed: number }> = [];
    for (let i = 0; i < 50 && seen.length < 2; i += 1) {
      seen = ((await gql(a, HISTORY, { id })) as History).data?.batch?.progressHistory ?? [];
      if (seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen.map((s) => [s.pending, s.completed])).toEqual([
      [50, 0],
      [40, 10],
    ]);

    for (const server of servers.splice(0)) await server.close();
    const fresh = await startServer(loadConfig(env), { logger: recordingLogger([]) });
    servers.push(fresh);
    const after = ((await gql(fresh, HISTORY, { id })) as History).data?.batch?.progressHistory ?? [];
    expect(after.map((s) => [s.pending, s.completed])).toEqual([
      [50, 0],
      [40, 10],
    ]);
  });
});
