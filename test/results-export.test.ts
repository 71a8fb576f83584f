import { parse } from 'csv-parse/sync';
import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ResultsExportLinksDocument } from './generated/graphql.js';
import { allResults } from './helpers/results.js';
import { dataOf, harnessPerDescribe, type Harness } from './helpers/harness.js';
import { mintToken, TEST_JWT_SECRET } from './helpers/tokens.js';

/**
 * `GET /batches/{id}/results.csv` over HTTP against the simulators: the rows of `results`, from
 * the same shared read, as a spreadsheet opens them; typed errors as JSON before the first byte,
 * an `#ERROR` line after it.
 */

const origin = (h: Harness) => new URL(h.graphqlUrl).origin;

async function download(h: Harness, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${origin(h)}${path}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const records = (text: string): Array<Record<string, string>> => parse(text, { columns: true, skip_empty_lines: true });

describe('results export', () => {
  const demo = harnessPerDescribe();

  it('gives every result of a Syllable batch, in vendor order, with its variables as columns, from the read `results` made', async () => {
    const { h } = demo;
    const id = demo.batches.syllable.find((batchId) => demo.batches.rawSyllable.find((raw) => `syllable:${raw.batch_id}` === batchId && raw.status === 'EXPIRED'))!;
    const expected = await allResults(h, id);
    const links = dataOf(await h.gql(ResultsExportLinksDocument, { id, status: 'NOT_REACHED' })).batch!;
    expect(links.all).toBe(`/batches/${encodeURIComponent(id)}/results.csv`);
    expect(links.filtered).toBe(`/batches/${encodeURIComponent(id)}/results.csv?status=NOT_REACHED`);
    const before = await h.totalCalls();

    const answer = await download(h, links.all);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const vendorBatchId = id.slice('syllable:'.length);
    expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="syllable-${vendorBatchId}-results.csv"`);
    // The same shared read as `results`: no second vendor call within the TTL.
    expect(await h.totalCalls()).toBe(before);

    const rows = records(answer.text);
    expect(rows.map((row) => row.reference_id)).toEqual(expected.map((row) => row.referenceId));
    expect(rows.map((row) => row.status)).toEqual(expected.map((row) => row.status));
    expect(rows.map((row) => row.vendor_status)).toEqual(expected.map((row) => row.vendorStatus));
    expect(rows.map((row) => row.phone_number)).toEqual(expected.map((row) => row.target));
    expect(rows.every((row) => /^\+1\d{10}$/.test(row.phone_number!))).toBe(true);
    const variables = expected[0]!.variables as Record<string, string>;
    expect(Object.keys(variables).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(variables)) expect(rows[0]![name]).toBe(value);
    expect(rows[0]!.id).toBe(`${id}:${expected[0]!.referenceId}`);
    expect(rows[0]!.vendor).toBe('syllable');
  });

  it('filters by status, and names the file after the batch and the status', async () => {
    const { h } = demo;
    const id = demo.batches.syllable.find((batchId) => demo.batches.rawSyllable.find((raw) => `syllable:${raw.batch_id}` === batchId && raw.status === 'EXPIRED'))!;
    const notReached = await allResults(h, id, 'NOT_REACHED');
    expect(notReached.length).toBeGreaterThan(0);
    const link = dataOf(await h.gql(ResultsExportLinksDocument, { id, status: 'NOT_REACHED' })).batch!.filtered;
    const answer = await download(h, link);
    expect(answer.headers.get('content-disposition')).toMatch(/-results-not-reached\.csv"$/);
    const rows = records(answer.text);
    expect(rows.map((row) => row.reference_id)).toEqual(notReached.map((row) => row.referenceId));
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(['NOT_REACHED']));
  });

  it('gives Bolna executions with their own fields', async () => {
    const { h } = demo;
    for (const id of demo.batches.bolna) {
      const expected = await allResults(h, id);
      if (expected.length === 0) continue;
      const rows = records((await download(h, `/batches/${encodeURIComponent(id)}/results.csv`)).text);
      expect(rows.map((row) => row.reference_id)).toEqual(expected.map((row) => row.referenceId));
      expect(rows.every((row) => row.vendor === 'bolna' && row.channel_status === '')).toBe(true);
      expect(rows.some((row) => row.cost_cents !== '' && Number.isFinite(Number(row.cost_cents)))).toBe(true);
      return;
    }
    throw new Error('no Bolna batch with executions in the demo data');
  });

  it('answers typed errors as JSON with their HTTP status, before any byte of CSV', async () => {
    const { h } = demo;
    const unknown = await download(h, `/batches/${encodeURIComponent('syllable:19990101.1')}/results.csv`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });

    const malformed = await download(h, '/batches/not-an-id/results.csv');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toMatchObject({ errors: [{ extensions: { code: 'INVALID_INPUT' } }] });

    const badStatus = await download(h, `/batches/${encodeURIComponent(demo.batches.syllable[0]!)}/results.csv?status=LOST`);
    expect(badStatus.status).toBe(400);
    expect(JSON.parse(badStatus.text)).toMatchObject({ errors: [{ extensions: { code: 'INVALID_INPUT', field: 'status' } }] });

    const badEscape = await download(h, '/batches/%E0%A4%A/results.csv');
    expect(badEscape.status).toBe(400);

    const id = demo.batches.syllable[1]!;
    await h.fault('syllable', { method: 'GET', path: `/api/v1/outbound/batches/${id.slice('syllable:'.length)}/results`, status: 503, times: 10 });
    const failed = await download(h, `/batches/${encodeURIComponent(id)}/results.csv`);
    expect(failed.status).toBe(502);
    expect(failed.headers.get('content-type')).toMatch(/^application\/json/);
    const failure = JSON.parse(failed.text) as { errors: Array<{ extensions: { code: string; vendor: string; statusCode: number } }> };
    expect(failure.errors[0]!.extensions).toMatchObject({ vendor: 'syllable', statusCode: 503 });
    expect(failure.errors[0]!.extensions.code).toMatch(/^VENDOR_/);

    const post = await fetch(`${origin(h)}/batches/${encodeURIComponent(id)}/results.csv`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('results export of a 30,000-row batch to a reader that stops reading', () => {
  const logs: string[] = [];
  const slow = harnessPerDescribe({ largeBatchTargets: 30_000, env: { EXPORT_TIMEOUT_MS: '300' }, logs });

  it('ends the file with an #ERROR line when its time is up, and logs why', async () => {
    const { h } = slow;
    const large = slow.batches.rawSyllable.find((raw) => String(raw.upload_filename).startsWith('LARGE_BATCH'))!;
    const url = `${origin(h)}/batches/${encodeURIComponent(`syllable:${large.batch_id}`)}/results.csv`;
    const text = await new Promise<string>((resolve, reject) => {
      get(url, (response) => {
        // The headers are out, so the rows are being written: read nothing for a while (far past the 300 ms).
        expect(response.statusCode).toBe(200);
        void sleep(2_000).then(() => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          response.on('error', reject);
        });
      }).on('error', reject);
    });
    const lines: string[][] = parse(text, { relax_column_count: true });
    const last = lines.at(-1)!;
    expect(last.slice(0, 2)).toEqual(['#ERROR', 'EXPORT_TIMEOUT']);
    const written = lines.length - 2;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(30_000);
    expect(last[2]).toContain(`after ${written} rows`);
    expect(logs.some((line) => line.includes('results export stopped after its first byte') && line.includes('EXPORT_TIMEOUT'))).toBe(true);
  });

  it('stops writing as soon as a reader that stopped reading leaves, and logs it as CLIENT_GONE', async () => {
    const { h } = slow;
    const large = slow.batches.rawSyllable.find((raw) => String(raw.upload_filename).startsWith('LARGE_BATCH'))!;
    const url = `${origin(h)}/batches/${encodeURIComponent(`syllable:${large.batch_id}`)}/results.csv`;
    const gone = (line: string) => line.includes('results export stopped after its first byte') && line.includes('CLIENT_GONE');
    expect(logs.some(gone)).toBe(false);
    await new Promise<void>((resolve, reject) => {
      const request = get(url, (response) => {
        expect(response.statusCode).toBe(200);
        // Leave without reading, well within the export's 300 ms.
        request.destroy();
        resolve();
      });
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    });
    const leftAt = Date.now();
    while (!logs.some(gone) && Date.now() - leftAt < 3_000) await sleep(10);
    expect(logs.filter(gone)).toHaveLength(1);
  });
});

describe('results export with caller auth', () => {
  const authed = harnessPerDescribe({ env: { AUTH_JWT_SECRET: TEST_JWT_SECRET } });

  it('needs a token with batches:read, as a query does', async () => {
    const { h } = authed;
    const path = `/batches/${encodeURIComponent(authed.batches.syllable[0]!)}/results.csv`;
    const none = await download(h, path);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    const writeOnly = await download(h, path, { authorization: `Bearer ${await mintToken({ scope: 'batches:write' })}` });
    expect(writeOnly.status).toBe(403);
    expect(await h.totalCalls()).toBe(0);
    const reader = await download(h, path, { authorization: `Bearer ${await mintToken({ scope: 'batches:read' })}` });
    expect(reader.status).toBe(200);
    expect(records(reader.text).length).toBeGreaterThan(0);
  });
});
