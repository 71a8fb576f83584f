import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { BOLNA_WEBHOOK_PATH } from './bolna-webhook.js';
import { sameSecret } from '../security/auth.js';
import { OVERLOADED_MESSAGE, type AdmissionGate } from './admission.js';
import type { ServiceMetrics } from '../ops/metrics.js';
import { readiness, type ReadinessSources } from '../ops/probes.js';
import { newRequestRecord, type RequestRecord } from './request-record.js';
import { inRequestScope } from './request-scope.js';
import { replyJson } from './node-http.js';
import { resultsCsvPathId } from './results-export-route.js';
import { UPLOADS_PATH } from './uploads-route.js';

export interface HandlerOptions {
  /** Answers GraphQL (and GraphiQL) with the request's record as server context. */
  readonly graphql: (req: IncomingMessage, res: ServerResponse, record: RequestRecord) => void;
  readonly metrics: ServiceMetrics;
  /** Serve /metrics here (false when it has a port of its own). */
  readonly metricsHere: boolean;
  readonly metricsToken: string | null;
  readonly readiness: ReadinessSources;
  /** MAX_INFLIGHT_OPERATIONS, shared with the WebSocket transport. */
  readonly admission: AdmissionGate;
  readonly logger: Logger;
  /** The GraphQL path, where browsers get GraphiQL. */
  readonly graphqlPath: string;
  /** GraphiQL for a browser's GET of the GraphQL path; absent when GRAPHIQL is off. */
  readonly graphiql?: { wants(req: IncomingMessage): boolean; serve(req: IncomingMessage, res: ServerResponse): Promise<void> };
  /** `POST /webhooks/bolna`, answered here, outside GraphQL. */
  readonly bolnaWebhook?: (req: IncomingMessage, res: ServerResponse, path: string) => void;
  /** `POST /uploads`: a target list as CSV, answered outside GraphQL (counted as an operation). */
  readonly uploads?: (req: IncomingMessage, res: ServerResponse, record: RequestRecord) => void;
  /** `GET /batches/{id}/results.csv`: a batch's results as CSV, answered outside GraphQL (counted as an operation). */
  readonly resultsExport?: (req: IncomingMessage, res: ServerResponse, record: RequestRecord, encodedId: string) => void;
  /** The dashboard at `/` and its files: answers true when it served the request. */
  readonly dashboard?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
}

/**
 * The HTTP front of the API: `/health`, `/ready`, `/metrics`, GraphiQL and the dashboard's files
 * are answered here without touching GraphQL or a vendor; everything else goes to yoga, unless
 * MAX_INFLIGHT_OPERATIONS operations are already running (whatever their transport): then 503 with
 * Retry-After at once, rather than queueing into the vendors' deadlines. Every request gets an id
 * (`x-request-id`); each that reaches an operation (GraphQL, an upload, an export) gets one log
 * line, and its work runs in its request scope, so a failure nobody awaited is still logged with it.
 */
export function createRequestHandler(options: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { logger, metrics } = options;
  return (req, res) => {
    const record = newRequestRecord(req.headers, req.socket.remoteAddress ?? null);
    res.setHeader('x-request-id', record.id);
    const path = pathOf(req.url);
    if (path === '/health' && isRead(req)) return replyJson(res, 200, { status: 'ok' });
    if (path === '/ready' && isRead(req)) {
      void readiness(options.readiness).then((report) => replyJson(res, report.status === 'unavailable' ? 503 : 200, report));
      return;
    }
    if (path === '/metrics' && options.metricsHere) return serveMetrics(req, res, metrics, options.metricsToken);
    if (options.bolnaWebhook && (path === BOLNA_WEBHOOK_PATH || path.startsWith(`${BOLNA_WEBHOOK_PATH}/`))) return options.bolnaWebhook(req, res, path);
    if (options.dashboard?.(req, res, path)) return;
    if (options.graphiql && path === options.graphqlPath && options.graphiql.wants(req)) {
      void options.graphiql.serve(req, res);
      return;
    }

    const admission = options.admission.tryEnter();
    if (!admission) {
      metrics.requestShed();
      res.setHeader('retry-after', '1');
      replyJson(res, 503, { errors: [{ message: OVERLOADED_MESSAGE, extensions: { code: 'OVERLOADED' } }] });
      logger.warn({ reqId: record.id, method: req.method, path, status: 503, inflight: options.admission.inflight }, 'request shed');
      return;
    }
    // Given back when the answer is out, or earlier by a subscription once it streams.
    record.admission = admission;
    metrics.operationStarted();
    res.once('close', () => {
      if (!res.writableFinished) record.clientLeft.abort();
      admission.release();
      const seconds = (performance.now() - record.startedAt) / 1000;
      metrics.operationDone(record, seconds);
      const line = {
        reqId: record.id,
        method: req.method,
        path,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1000),
        operation: record.operationName,
        operationType: record.operationType,
        vendorCalls: record.vendorCalls,
        errorCodes: record.errorCodes,
        subject: record.caller?.subject ?? undefined,
        // The client left before its answer was complete.
        aborted: res.writableFinished ? undefined : true,
      };
      if (res.statusCode >= 500 && res.statusCode !== 503) logger.error(line, 'request');
      else logger.info(line, 'request');
    });
    if (options.uploads && path === UPLOADS_PATH) {
      record.operationName = 'upload';
      inRequestScope(record, () => options.uploads!(req, res, record));
      return;
    }
    const exportId = options.resultsExport ? resultsCsvPathId(path) : null;
    if (exportId !== null) {
      record.operationName = 'resultsCsv';
      inRequestScope(record, () => options.resultsExport!(req, res, record, exportId));
      return;
    }
    inRequestScope(record, () => options.graphql(req, res, record));
  };
}

/** `/metrics`, behind a bearer token when METRICS_TOKEN is set. */
export function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: ServiceMetrics, token: string | null): void {
  if (token !== null && !bearerMatches(req.headers.authorization, token)) {
    res.setHeader('www-authenticate', 'Bearer');
    return replyJson(res, 401, { error: 'metrics need `Authorization: Bearer <METRICS_TOKEN>`' });
  }
  void metrics.registry.metrics().then((text) => {
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(text);
  });
}

/** A separate listener for METRICS_PORT: metrics only. */
export function metricsOnlyHandler(metrics: ServiceMetrics, token: string | null): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (pathOf(req.url) === '/metrics' && isRead(req)) return serveMetrics(req, res, metrics, token);
    replyJson(res, 404, { error: 'only /metrics is served here' });
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  return sameSecret(/^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '', token);
}

function isRead(req: IncomingMessage): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const end = raw.indexOf('?');
  return end === -1 ? raw : raw.slice(0, end);
}
