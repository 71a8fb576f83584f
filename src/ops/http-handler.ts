import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { BOLNA_WEBHOOK_PATH } from '../live/bolna-webhook.js';
import { sameSecret } from '../security/auth.js';
import type { ServiceMetrics } from './metrics.js';
import { readiness, type ReadinessSources } from './probes.js';
import { newRequestRecord, type RequestRecord } from './request-record.js';

export interface HandlerOptions {
  /** Answers GraphQL (and GraphiQL) with the request's record as server context. */
  readonly graphql: (req: IncomingMessage, res: ServerResponse, record: RequestRecord) => void;
  readonly metrics: ServiceMetrics;
  /** Serve /metrics here (false when it has a port of its own). */
  readonly metricsHere: boolean;
  readonly metricsToken: string | null;
  readonly readiness: ReadinessSources;
  readonly maxInflightOperations: number;
  readonly logger: Logger;
  /** `POST /webhooks/bolna`, answered here, outside GraphQL. */
  readonly bolnaWebhook?: (req: IncomingMessage, res: ServerResponse, path: string) => void;
  /** The dashboard at `/` and its files: answers true when it served the request. */
  readonly dashboard?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
}

/**
 * The HTTP front of the API: `/health`, `/ready`, `/metrics` and the dashboard's files are
 * answered here without touching GraphQL or a vendor; everything else goes to yoga, unless
 * MAX_INFLIGHT_OPERATIONS requests are already running: then 503 with Retry-After at once, rather
 * than queueing into the vendors' deadlines. Every request gets an id (`x-request-id`) and one log line.
 */
export function createRequestHandler(options: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { logger, metrics } = options;
  let inflight = 0;
  return (req, res) => {
    const record = newRequestRecord(req.headers);
    res.setHeader('x-request-id', record.id);
    const path = pathOf(req.url);
    if (path === '/health' && isRead(req)) return json(res, 200, { status: 'ok' });
    if (path === '/ready' && isRead(req)) {
      void readiness(options.readiness).then((report) => json(res, report.status === 'unavailable' ? 503 : 200, report));
      return;
    }
    if (path === '/metrics' && options.metricsHere) return serveMetrics(req, res, metrics, options.metricsToken);
    if (options.bolnaWebhook && (path === BOLNA_WEBHOOK_PATH || path.startsWith(`${BOLNA_WEBHOOK_PATH}/`))) return options.bolnaWebhook(req, res, path);
    if (options.dashboard?.(req, res, path)) return;

    if (inflight >= options.maxInflightOperations) {
      metrics.requestShed();
      res.setHeader('retry-after', '1');
      json(res, 503, { errors: [{ message: 'The server is at its limit of operations in progress; retry in a second.', extensions: { code: 'OVERLOADED' } }] });
      logger.warn({ reqId: record.id, method: req.method, path, status: 503, inflight }, 'request shed');
      return;
    }
    // A subscription over SSE stays open for as long as it is watched: it is bounded by
    // MAX_SUBSCRIPTIONS, not by the operations in progress.
    const counted = !(req.headers.accept ?? '').includes('text/event-stream');
    if (counted) inflight += 1;
    metrics.operationStarted();
    res.once('close', () => {
      if (counted) inflight -= 1;
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
    options.graphql(req, res, record);
  };
}

/** `/metrics`, behind a bearer token when METRICS_TOKEN is set. */
export function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: ServiceMetrics, token: string | null): void {
  if (token !== null && !bearerMatches(req.headers.authorization, token)) {
    res.setHeader('www-authenticate', 'Bearer');
    return json(res, 401, { error: 'metrics need `Authorization: Bearer <METRICS_TOKEN>`' });
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
    json(res, 404, { error: 'only /metrics is served here' });
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

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}
