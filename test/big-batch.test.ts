import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, vendorEnvFor, type RunningSimulators } from '../src/simulators/index.js';
import { startBuiltApiProcess, type ApiProcess } from './helpers/api-process.js';
import { allBolnaBatches, allSyllableBatches } from './helpers/vendor-raw.js';

/**
 * A batch of 100,000 targets at each vendor, read by the API as its own process (so its memory
 * is measured alone): Syllable's results paged end to end with one vendor read, Bolna's
 * executions streamed too, and the API's peak RSS below 300 MB throughout.
 */

const TARGETS = 100_000;
const PAGE = 500;
const RESULTS = `query($id: ID!, $after: String) { batch(id: $id) { results(first: ${PAGE}, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { referenceId status target } } } } }`;

type Page = { data?: { batch: { results: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: { referenceId: string } }> } } | null }; errors?: unknown[] };

/** Peak resident memory of a Linux process, in bytes (VmHWM); null elsewhere. */
function peakRss(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

describe('batches of 100,000 targets', () => {
  let sims: RunningSimulators;
  let api: ApiProcess;
  let url: string;

  beforeAll(async () => {
    sims = await startSimulators({ largeBatchTargets: TARGETS });
    api = await startBuiltApiProcess({
      AUTH_DISABLED: 'true',
      ...vendorEnvFor(sims),
      // Long enough to page through the whole batch on one read, on a busy machine.
      CACHE_TTL_MS: '120000',
    });
    url = api.url;
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await sims?.close();
  });

  async function page(id: string, after: string | null): Promise<Page> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: RESULTS, variables: { id, after } }) });
    return (await response.json()) as Page;
  }

  it('pages through all 100,000 Syllable results with one vendor read, none lost or repeated, RSS under 300 MB', async () => {
    const large = (await allSyllableBatches(sims)).find((batch) => String(batch.upload_filename).startsWith('LARGE_BATCH'))!;
    const id = `syllable:${large.batch_id}`;
    sims.syllable.server.resetStats();
    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const answer = await page(id, after);
      expect(answer.errors).toBeUndefined();
      const results = answer.data!.batch!.results;
      expect(results.totalCount).toBe(TARGETS);
      for (const edge of results.edges) seen.add(edge.node.referenceId);
      pages += 1;
      if (!results.pageInfo.hasNextPage) break;
      after = results.pageInfo.endCursor;
    }
    expect(pages).toBe(TARGETS / PAGE);
    expect(seen.size).toBe(TARGETS);
    expect(sims.syllable.server.stats().requests).toEqual({ 'GET /api/v1/outbound/batches/{batch_id}/results': 1 });
    const rss = peakRss(api.child.pid!);
    if (rss !== null) process.stdout.write(`peak RSS ${Math.round(rss / 2 ** 20)} MB\n`);
    if (rss !== null) expect(rss).toBeLessThan(300 * 1024 * 1024);
  }, 120_000);

  it('streams 100,000 Bolna executions too', async () => {
    const large = (await allBolnaBatches(sims)).find((batch) => batch.total_contacts === TARGETS)!;
    const answer = await page(`bolna:${large.batch_id}`, null);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.batch!.results.totalCount).toBe(TARGETS);
    expect(answer.data!.batch!.results.edges).toHaveLength(PAGE);
    const rss = peakRss(api.child.pid!);
    if (rss !== null) process.stdout.write(`peak RSS ${Math.round(rss / 2 ** 20)} MB\n`);
    if (rss !== null) expect(rss).toBeLessThan(300 * 1024 * 1024);
  }, 60_000);
});
