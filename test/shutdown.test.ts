import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, vendorEnvFor, type RunningSimulators } from '../src/simulators/index.js';
import { startApiProcess, type ApiProcess } from './helpers/api-process.js';
import { allSyllableBatches } from './helpers/vendor-raw.js';

/**
 * SIGTERM with a request in flight: the API (its own process, as operators run it) stops
 * accepting, lets the request finish within SHUTDOWN_GRACE_MS, and exits 0; past the grace it cuts
 * what is left and still exits 0.
 */

function startApi(sims: RunningSimulators, graceMs: number): Promise<ApiProcess> {
  return startApiProcess({ SHUTDOWN_GRACE_MS: String(graceMs), CACHE_TTL_MS: '0', AUTH_DISABLED: 'true', ...vendorEnvFor(sims) });
}

describe('graceful shutdown', () => {
  let sims: RunningSimulators;
  let batchPath: string;
  let id: string;
  const started: ApiProcess[] = [];

  beforeAll(async () => {
    sims = await startSimulators();
    const batch = (await allSyllableBatches(sims))[2]!;
    id = `syllable:${batch.batch_id}`;
    batchPath = `/api/v1/outbound/batches/${encodeURIComponent(batch.batch_id)}`;
  });
  afterAll(async () => {
    for (const api of started) if (api.child.exitCode === null) api.child.kill('SIGKILL');
    await sims?.close();
  });

  async function slowRequestInFlight(api: ApiProcess, latencyMs: number) {
    sims.syllable.server.resetStats();
    await fetch(`${sims.syllable.url}/__sim/faults`, { method: 'DELETE' });
    await fetch(`${sims.syllable.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'GET', path: batchPath, latencyMs, times: 1 }),
    });
    const answer = fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($id: ID!) { batch(id: $id) { id status } }', variables: { id } }),
    }).then(
      async (response) => ({ status: response.status, body: (await response.json()) as { data?: { batch: { id: string } | null } } }),
      (error: unknown) => ({ error }),
    );
    // Wait until the vendor call is under way, so the request is truly in flight.
    for (let i = 0; i < 400 && sims.syllable.server.stats().inFlight === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sims.syllable.server.stats().inFlight).toBe(1);
    // Wrapped, so that awaiting this function waits for the request to be in flight, not answered.
    return { answer };
  }

  it('lets a request in flight finish, refuses new connections meanwhile, and exits 0', async () => {
    const api = await startApi(sims, 10_000);
    started.push(api);
    const { answer } = await slowRequestInFlight(api, 1_500);
    api.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
    expect(await answer).toEqual({ status: 200, body: { data: { batch: { id, status: expect.any(String) as unknown } } } });
    expect(await api.exited).toBe(0);
  });

  it('past SHUTDOWN_GRACE_MS cuts what is left and still exits 0', async () => {
    const api = await startApi(sims, 300);
    started.push(api);
    const { answer } = await slowRequestInFlight(api, 20_000);
    api.child.kill('SIGTERM');
    expect(await answer).toHaveProperty('error');
    expect(await api.exited).toBe(0);
  });
});
