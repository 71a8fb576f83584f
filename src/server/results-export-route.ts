import type { IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { InvalidInputError, OutboundGraphError } from '../domain/errors.js';
import type { CallSignal } from '../http/call-signal.js';
import type { ResultQuery } from '../domain/filters.js';
import { RESULT_STATUSES, type ResultStatus } from '../domain/model.js';
import { exportErrorLine, resultsCsvChunks, resultsFileName } from '../domain/results-csv.js';
import type { Logger } from '../logger.js';
import { SCOPES, type Authenticator } from '../security/auth.js';
import { missingScope } from '../security/grants.js';
import { OperationStore, type StoreSources } from '../store/operation-store.js';
import { headersOf, replyError, replyJson } from './node-http.js';
import type { RequestRecord } from './request-record.js';

/** `/batches/{global id, URL-encoded}/results.csv` */
const RESULTS_CSV_PATH = /^\/batches\/([^/]+)\/results\.csv$/;

/** The batch id of a results export path, still URL-encoded; null for any other path. */
export function resultsCsvPathId(path: string): string | null {
  return RESULTS_CSV_PATH.exec(path)?.[1] ?? null;
}

export interface ResultsExportOptions {
  readonly authenticator: Authenticator;
  readonly store: StoreSources;
  readonly logger: Logger;
  /** EXPORT_TIMEOUT_MS: how long the rows may take to be written. */
  readonly timeoutMs: number;
}

/** Why an export stopped after its first byte, as its marker line says. */
class ExportStopped extends Error {
  constructor(readonly code: 'EXPORT_TIMEOUT' | 'CLIENT_GONE') {
    super(code);
  }
}

/**
 * `GET /batches/{id}/results.csv?status=&insightsStatus=`: every result of a batch as CSV, from the
 * same shared read as `results` (within CACHE_TTL_MS a second download calls no vendor). Needs
 * `batches:read`. A failure before the first byte is the typed error GraphQL would give, as JSON
 * with its HTTP status; after it, the file ends with an `#ERROR` line and the log says why. The
 * rows go out a chunk at a time, each written only when the client has taken the one before.
 */
export async function handleResultsExport(req: IncomingMessage, res: ServerResponse, record: RequestRecord, encodedId: string, options: ResultsExportOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    replyJson(res, 405, { errors: [{ message: 'Download the results with GET.', extensions: { code: 'METHOD_NOT_ALLOWED' } }] }, { allow: 'GET, HEAD' });
    return;
  }
  // Aborted by the HTTP front when the client leaves before the file is complete.
  const gone = record.clientLeft.signal;
  let store: OperationStore | null = null;
  let written = -1;
  try {
    const caller = await options.authenticator.authenticate(headersOf(req), req.socket.remoteAddress ?? null);
    record.caller = caller;
    if (!caller.scopes.has(SCOPES.read)) throw missingScope(SCOPES.read);
    const id = decodedId(encodedId);
    const query = exportQuery(new URL(req.url ?? '/', 'http://export').searchParams);
    store = new OperationStore(options.store, caller, gone);
    const batch = await store.reads.batchFor(id, { fields: new Set(['results']), results: query });
    const listing = await store.reads.results(batch, query);
    record.vendorCalls = store.vendorCalls;
    const fileName = resultsFileName(batch.vendor, batch.vendorBatchId, query.status ?? null);
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-total-count': String(listing.rows.length),
      'last-modified': new Date(listing.fetchedAt).toUTCString(),
    });
    written = 0;
    if (req.method === 'HEAD') return void res.end();
    const stopAt = Date.now() + options.timeoutMs;
    for (const chunk of resultsCsvChunks(listing.rows)) {
      if (gone.aborted) throw new ExportStopped('CLIENT_GONE');
      const flowing = res.write(chunk.text);
      written += chunk.rows;
      // Other requests get their turn between chunks; a client that has not taken the last one is waited for.
      await (flowing ? nextTurn() : drained(res, stopAt, gone));
    }
    // Rows the vendor sent that could not be read are not silently missing: the file says so.
    if (listing.unreadable) res.write(exportErrorLine(listing.unreadable.code, written, `${listing.unreadable.message} They are not in this file.`));
    res.end();
  } catch (error) {
    if (written < 0) return replyError(res, error, record, options.logger, 'results export');
    const code = error instanceof ExportStopped ? error.code : error instanceof OutboundGraphError ? error.code : 'INTERNAL_SERVER_ERROR';
    record.errorCodes = [code];
    options.logger.warn({ reqId: record.id, code, rowsWritten: written, error: error instanceof ExportStopped ? undefined : error }, 'results export stopped after its first byte');
    if (code === 'CLIENT_GONE') return;
    res.end(exportErrorLine(code, written));
  } finally {
    store?.finish();
  }
}

/** Resolves when the client has taken what was written; fails when the export's time is up or the client has gone. */
async function drained(res: ServerResponse, stopAt: number, gone: CallSignal): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(new ExportStopped('EXPORT_TIMEOUT')), Math.max(0, stopAt - Date.now()));
    const onDrain = () => finish(null);
    const onGone = () => finish(new ExportStopped('CLIENT_GONE'));
    function finish(error: Error | null) {
      clearTimeout(timer);
      res.off('drain', onDrain);
      gone.removeEventListener('abort', onGone);
      if (error) reject(error);
      else resolve();
    }
    res.on('drain', onDrain);
    gone.addEventListener('abort', onGone);
  });
  if (Date.now() > stopAt) throw new ExportStopped('EXPORT_TIMEOUT');
}

function decodedId(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new InvalidInputError('The batch id in the path is not URL-encoded correctly: use `Batch.resultsCsvUrl`.', 'id');
  }
}

/** The filters of `results`, from the query string; an unknown status is refused rather than ignored. */
function exportQuery(search: URLSearchParams): ResultQuery {
  const status = search.get('status');
  if (status !== null && !(RESULT_STATUSES as readonly string[]).includes(status.toUpperCase())) {
    throw new InvalidInputError(`\`status\` is one of ${RESULT_STATUSES.join(', ')}.`, 'status');
  }
  const insightsStatus = search.get('insightsStatus');
  return { status: status === null ? null : (status.toUpperCase() as ResultStatus), insightsStatus: insightsStatus === null || insightsStatus === '' ? null : insightsStatus };
}
