import { parse as parseCsv } from 'csv-parse';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, vendorEnvFor, type RunningSimulators } from '../src/simulators/index.js';
import { LARGE_BATCH_NOTES } from '../src/simulators/syllable-data.js';
import { startBuiltApiProcess, type ApiProcess } from './helpers/api-process.js';
import { allBolnaBatches, allSyllableBatches } from './helpers/vendor-raw.js';

/**
 * A batch of 100,000 targets at each vendor, read by the API as its own process (so its memory
 * is measured alone): Syllable's results paged end to end with one vendor read, Bolna's
 * executions streamed too, the Syllable batch exported as one streamed CSV, and the API's peak RSS
 * below 300 MB throughout.
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

  it('exports all 100,000 Syllable results as one streamed CSV: every row once, in order, formulas neutralised, E.164 intact, RSS under 300 MB', async () => {
    const large = (await allSyllableBatches(sims)).find((batch) => String(batch.upload_filename).startsWith('LARGE_BATCH'))!;
    const path = `/batches/${encodeURIComponent(`syllable:${large.batch_id}`)}/results.csv`;
    sims.syllable.server.resetStats();
    const response = await fetch(new URL(path, url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="syllable-${large.batch_id}-results.csv"`);
    // Parsed as it arrives, as a spreadsheet import would.
    const parser = Readable.fromWeb(response.body as NodeWebStream).pipe(parseCsv({ columns: true }));
    let index = 0;
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      expect(row.reference_id).toBe(`${large.batch_id}-${String(index + 1).padStart(5, '0')}`);
      expect(row.phone_number).toMatch(/^\+1\d{10}$/);
      const note = LARGE_BATCH_NOTES[index % LARGE_BATCH_NOTES.length]!;
      // What a spreadsheet would run (= + - @ tab CR first) is made text by a leading quote; the rest is as sent.
      expect(row.note).toBe(/^[=+\-@\t\r]/.test(note) ? `'${note}` : note);
      index += 1;
    }
    expect(index).toBe(TARGETS);
    // The rows the paging test read are still fresh (CACHE_TTL_MS 120 s): the export made no vendor read of its own.
    expect(sims.syllable.server.stats().requests).toEqual({});
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
