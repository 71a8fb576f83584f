/**
 * The benchmark's floor: a plain node:http server that, for each scenario, makes exactly the
 * vendor calls the scenario needs with undici, maps the JSON with the project's own mappers and
 * answers the same JSON shape as the API; no GraphQL, no cache, no policy. The API's figures
 * are read as ratios to this one, measured in the same run on the same machine.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { compareBatches, resultCursors } from '../src/domain/cursors.js';
import type { BatchRecord } from '../src/domain/model.js';
import { progressTotals } from '../src/domain/status.js';
import { toBatchRecord as bolnaBatch } from '../src/vendors/bolna/map.js';
import { toBatchRecord as syllableBatch, toResultRecord as syllableResult } from '../src/vendors/syllable/map.js';
import { mapObjects, asObject } from '../src/vendors/json-reader.js';

const env = process.env;
const syllable = new Pool(env.SYLLABLE_BASE_URL!, { connections: 32 });
const bolna = new Pool(env.BOLNA_BASE_URL!, { connections: 32 });
const syllableHeaders = { 'syllable-api-key': env.SYLLABLE_API_KEY!, accept: 'application/json' };
const bolnaHeaders = { authorization: `Bearer ${env.BOLNA_API_KEY!}`, accept: 'application/json' };
const agents = (env.BOLNA_AGENT_IDS ?? '').split(',').filter(Boolean);
const BATCHES = '/api/v1/outbound/batches';

async function getJson(pool: Pool, headers: Record<string, string>, path: string): Promise<unknown> {
  const response = await pool.request({ method: 'GET', path, headers });
  return response.body.json();
}

const syllableDetail = async (id: string) => syllableBatch(asObject(await getJson(syllable, syllableHeaders, `${BATCHES}/${encodeURIComponent(id)}`))!, true, Date.now())!;
const bolnaDetail = async (id: string) => bolnaBatch(asObject(await getJson(bolna, bolnaHeaders, `/batches/${id}`))!, null, Date.now())!;

function batchView(batch: BatchRecord) {
  const progress = progressTotals(batch.statusCounts ?? []);
  return {
    id: `${batch.vendor}:${batch.vendorBatchId}`,
    status: batch.status,
    totalCount: batch.declaredTotal ?? (batch.statusCounts ?? []).reduce((sum, c) => sum + c.count, 0),
    statusCounts: (batch.statusCounts ?? []).map((c) => ({ vendorStatus: c.vendorStatus, count: c.count })),
    progress: { completed: progress.COMPLETED, notReached: progress.NOT_REACHED, failed: progress.FAILED, finishedFraction: progress.total === 0 ? 0 : progress.finished / progress.total },
  };
}

async function resultsPage(id: string, after: number, first: number) {
  const rows = mapObjects(await getJson(syllable, syllableHeaders, `${BATCHES}/${encodeURIComponent(id)}/results`), (raw) => syllableResult(id, raw));
  const page = rows.slice(after, after + first);
  return {
    data: {
      batch: {
        results: {
          totalCount: rows.length,
          edges: page.map((row, i) => ({ cursor: resultCursors.cursorOf(row, after + i), node: { id: `syllable:${id}:${row.referenceId}`, referenceId: row.referenceId, target: row.target, status: row.status, vendorStatus: row.vendorStatus } })),
        },
      },
    },
  };
}

async function dashboard() {
  const [first, ...bolnaLists] = await Promise.all([
    getJson(syllable, syllableHeaders, `${BATCHES}?page=0&limit=100`) as Promise<{ items: unknown[]; total_pages: number }>,
    ...agents.map((agent) => getJson(bolna, bolnaHeaders, `/batches/${agent}/all`)),
  ]);
  const pages = await Promise.all(Array.from({ length: Math.max(0, first.total_pages - 1) }, (_, i) => getJson(syllable, syllableHeaders, `${BATCHES}?page=${i + 1}&limit=100`) as Promise<{ items: unknown[] }>));
  const now = Date.now();
  const all = [
    ...[first, ...pages].flatMap((page) => mapObjects(page.items, (raw) => syllableBatch(raw, false, now))),
    ...bolnaLists.flatMap((list, i) => mapObjects(list, (raw) => bolnaBatch(raw, agents[i] ?? null, now))),
  ].sort(compareBatches);
  const top = await Promise.all(all.slice(0, 10).map((batch) => (batch.statusCounts === undefined ? syllableDetail(batch.vendorBatchId) : Promise.resolve(batch))));
  return {
    data: {
      batches: {
        totalCount: all.length,
        edges: top.map((batch) => ({ node: { ...batchView(batch), vendor: batch.vendor.toUpperCase(), vendorStatus: batch.vendorStatus, fileName: batch.fileName, createdAt: batch.createdAt?.raw, canPause: false, canResume: false } })),
      },
    },
  };
}

async function route(url: URL): Promise<unknown> {
  const batch = url.searchParams.get('batch') ?? '';
  switch (url.pathname) {
    case '/s1':
      return { data: { batch: batchView(await syllableDetail(batch)) } };
    case '/s2': {
      const view = batchView(await syllableDetail(batch));
      return { data: Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`b${i}`, view])) };
    }
    case '/s3':
      return resultsPage(batch, 0, 100);
    case '/s4':
      return dashboard();
    case '/s5':
      return resultsPage(batch, Number(url.searchParams.get('after') ?? 0), 100);
    case '/s6': {
      const ids = (url.searchParams.get('ids') ?? '').split(',');
      const distinct = [...new Set(ids)];
      const read = await Promise.all(distinct.map((id) => (id.startsWith('bolna:') ? bolnaDetail(id.slice(6)) : syllableDetail(id.slice(9)))));
      const byId = new Map(read.map((record, i) => [distinct[i], batchView(record)]));
      return { data: { _entities: ids.map((id) => byId.get(id)) } };
    }
    case '/s7': {
      const paused = url.searchParams.get('paused') === 'true';
      await syllableDetail(batch);
      const response = await syllable.request({
        method: 'PUT',
        path: `${BATCHES}/${encodeURIComponent(batch)}`,
        headers: { ...syllableHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ paused }),
      });
      const updated = syllableBatch(asObject(await response.body.json())!, false, Date.now())!;
      return { data: { batch: { status: updated.status, paused: updated.paused } } };
    }
    default:
      return null;
  }
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  req.resume();
  route(new URL(req.url ?? '/', 'http://floor')).then(
    (body) => {
      const text = JSON.stringify(body);
      res.writeHead(body === null ? 404 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    },
    (error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    },
  );
});
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`floor at http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  void Promise.all([syllable.close(), bolna.close()]).then(() => process.exit(0));
});
