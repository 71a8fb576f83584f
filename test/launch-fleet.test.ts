import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/logger.js';
import { startServer, type RunningServer } from '../src/server/server.js';
import { startSimulators, vendorEnvFor, type RunningSimulators } from '../src/simulators/index.js';
import { redisAvailable, startRedis, type RedisProcess } from './helpers/redis-server.js';

/**
 * Launches across replicas sharing one real redis-server: an idempotency key holds on every
 * replica and after a restart, two replicas given one key at once create once, an upload taken by
 * one replica is used by another, and without Redis a create is refused rather than risk a second
 * batch.
 */

const CREATE = `mutation($input: CreateBatchInput!) { createBatch(input: $input) { __typename ... on BatchMutationSuccess { batch { id totalCount } } ... on Error { code message } } }`;

type Answer = { data?: { createBatch: { __typename: string; batch?: { id: string; totalCount: number }; code?: string } }; errors?: Array<{ message: string; extensions?: { code?: string } }> };

async function create(server: RunningServer, input: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: CREATE, variables: { input } }) });
  return (await response.json()) as Answer;
}

const targets = [{ phoneNumber: '+1 212 555 0101' }, { phoneNumber: '+1 312 555 0102' }, { phoneNumber: '+1 415 555 0103' }];

describe.runIf(redisAvailable())('launches shared through Redis', () => {
  let redis: RedisProcess;
  let sims: RunningSimulators;
  let a: RunningServer;
  let b: RunningServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startRedis();
    sims = await startSimulators();
    env = { PORT: '0', AUTH_DISABLED: 'true', ...vendorEnvFor(sims), REDIS_URL: redis.url, REDIS_KEY_PREFIX: `launch-${process.pid}` };
    a = await startServer(loadConfig(env), { logger: silentLogger });
    b = await startServer(loadConfig(env), { logger: silentLogger });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sims?.close();
    await redis?.stop();
  });

  const creates = (vendor: 'syllable' | 'bolna') => sims[vendor].server.stats().requests[vendor === 'syllable' ? 'POST /api/v1/outbound/batches' : 'POST /batches'] ?? 0;

  it('answers a key on every replica, and after a restart, with the batch the first made', async () => {
    const input = { vendor: 'BOLNA', idempotencyKey: randomUUID(), agentId: sims.bolna.agentIds[0], targets };
    const before = creates('bolna');
    const first = await create(a, input);
    expect(first.data?.createBatch).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { totalCount: 3 } });
    expect((await create(b, input)).data?.createBatch).toEqual(first.data?.createBatch);
    await a.close();
    a = await startServer(loadConfig(env), { logger: silentLogger });
    expect((await create(a, input)).data?.createBatch).toEqual(first.data?.createBatch);
    expect(creates('bolna') - before).toBe(1);
  });

  it('creates once when two replicas get one key at once', async () => {
    const input = { vendor: 'BOLNA', idempotencyKey: randomUUID(), agentId: sims.bolna.agentIds[1], targets };
    const before = creates('bolna');
    const answers = await Promise.all([create(a, input), create(b, input), create(a, input), create(b, input)]);
    expect(answers.every((answer) => answer.data?.createBatch.__typename === 'BatchMutationSuccess')).toBe(true);
    expect(new Set(answers.map((answer) => answer.data?.createBatch.batch?.id)).size).toBe(1);
    expect(creates('bolna') - before).toBe(1);
  });

  it('creates from an upload another replica took', async () => {
    const csv = 'phone_number,first_name\r\n+1 212 555 0101,Ada\r\n+1 312 555 0102,Grace\r\n';
    const upload = await fetch(`${a.baseUrl}/uploads?vendor=syllable`, { method: 'POST', headers: { 'content-type': 'text/csv', 'x-graphql-yoga-csrf': 'upload' }, body: csv });
    const { uploadId } = (await upload.json()) as { uploadId: string };
    const answer = await create(b, { vendor: 'SYLLABLE', idempotencyKey: randomUUID(), campaignId: '103', uploadId });
    expect(answer.data?.createBatch).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { totalCount: 2 } });
  });

  it('refuses a create while Redis is away, sending nothing, and creates once it is back', async () => {
    const input = { vendor: 'SYLLABLE', idempotencyKey: randomUUID(), campaignId: '101', targets };
    const before = creates('syllable');
    await redis.stop();
    try {
      const refused = await create(a, input);
      expect(refused.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(creates('syllable')).toBe(before);
    } finally {
      await redis.restart();
    }
    // Each replica reconnects on its own, within a couple of seconds.
    let answer: Answer | null = null;
    for (let attempt = 0; attempt < 50 && answer?.data?.createBatch.__typename !== 'BatchMutationSuccess'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await create(a, input);
    }
    expect(answer?.data?.createBatch.__typename).toBe('BatchMutationSuccess');
    expect(creates('syllable') - before).toBe(1);
  });
});
