import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliverFaulty, FaultBook, faultProblem, type FaultSpec } from './faults.js';
import { readBody, type ReadBody } from './http/body.js';
import {
  authenticated,
  compose,
  delayed,
  failingByFault,
  Overrides,
  rateLimited,
  RequestStats,
  wireFaults,
  type ErrorBody,
  type Exchange,
  type RouteHandler,
  type SimAuth,
  type SimOverride,
  type SimRateLimit,
  type SimResponse,
} from './http/layers.js';
import { RouteTable, type Route } from './http/routes.js';
import { SimClock, type ProgressSettings } from './progress.js';

export type { LoggedRequest, SimAuth, SimOverride, SimRateLimit, SimRequest, SimResponse, SimStats, ErrorBody } from './http/layers.js';

/**
 * The HTTP server of one vendor simulator: its vendor routes (a table per vendor, declared by the
 * simulator) inside layers that count and log, delay and fault, rate-limit and authenticate them
 * as the vendor would, and an admin API under `/__sim/` (stats, request log, canned overrides,
 * faults, the clock), itself a table of routes, that tests and benchmarks use. Binds to loopback only.
 */

/** A vendor route: method, path template (as in the vendor's OpenAPI document) and handler. */
export type SimRoute = Route<RouteHandler>;

export interface SimulatorOptions {
  /** Delay before every vendor answer, in ms (to observe concurrency). @default 0 */
  readonly latencyMs?: number;
  /** Whether running batches move as time passes. @default off */
  readonly progress?: ProgressSettings;
  /** Faults active from the start. */
  readonly faults?: readonly FaultSpec[];
}

/** What an admin route gets: the request's body, as JSON. */
type AdminHandler = (body: ReadBody) => SimResponse;

export class SimulatorServer {
  private readonly routes: RouteTable<RouteHandler>;
  private readonly admin: RouteTable<AdminHandler>;
  private readonly server: Server;
  private readonly recorded = new RequestStats();
  private readonly overrides = new Overrides();
  private readonly faults: FaultBook;
  private readonly respond: (exchange: Exchange) => Promise<SimResponse>;

  constructor(
    readonly name: string,
    routes: readonly SimRoute[],
    auth: SimAuth,
    errorBody: ErrorBody,
    options: SimulatorOptions = {},
    rateLimit: SimRateLimit | null = null,
    /** Runs before each vendor answer (simulated time passing). */
    private readonly beforeAnswer: () => void = () => {},
    /** Simulated time, moved ahead over the admin API. */
    private readonly clock: SimClock = new SimClock(),
  ) {
    this.routes = new RouteTable(routes);
    this.faults = new FaultBook(options.faults);
    this.admin = new RouteTable(this.adminRoutes());
    this.respond = compose(
      [
        this.recorded.layer,
        delayed(this.faults, options.latencyMs ?? 0),
        ...(rateLimit ? [rateLimited(rateLimit, this.recorded, errorBody)] : []),
        authenticated(auth),
        failingByFault(errorBody),
        wireFaults,
        this.overrides.layer,
      ],
      (exchange) => Promise.resolve(this.route(exchange, errorBody)),
    );
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) send(res, { status: 500, body: { detail: 'simulator error' } });
      });
    });
    // Idle connections stay open for reuse, as a vendor's load balancer keeps them; close() ends
    // them all, so they never hold a test process open. (At 2 s, undici's default threshold of
    // 2 s made clients close every connection after one answer.)
    this.server.keepAliveTimeout = 15_000;
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    const { port: bound } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${bound}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  stats() {
    return this.recorded.stats();
  }

  resetStats(): void {
    this.recorded.reset();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://simulator');
    const body = await readBody(req);
    if (url.pathname.startsWith('/__sim/')) {
      const admin = this.admin.match(method, url.pathname);
      send(res, admin ? admin.route.handle(body) : { status: 404, body: { detail: 'unknown admin route' } });
      return;
    }
    const response = await this.respond({ req, res, method, url, body, match: this.routes.match(method, url.pathname), faults: [] });
    if (res.destroyed) return;
    if (response.fault) deliverFaulty(res, response.status, response.text ?? JSON.stringify(response.body ?? null), response.fault.kind, response.fault.spec);
    else send(res, response);
  }

  /** The vendor route itself, once every layer let the request through. */
  private route({ method, url, body, match }: Exchange, errorBody: ErrorBody): SimResponse {
    if (!match) return { status: 404, body: errorBody(404, 'Not Found') };
    if (body.malformed) return { status: 422, body: { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] } };
    this.beforeAnswer();
    return match.route.handle({ method, path: url.pathname, params: match.params, query: url.searchParams, body: body.value, contentType: body.contentType, form: body.form });
  }

  private adminRoutes(): Route<AdminHandler>[] {
    const done: SimResponse = { status: 204 };
    const now = () => ({ status: 200, body: { now: new Date(this.clock.now()).toISOString() } });
    return [
      { method: 'GET', template: '/__sim/stats', handle: () => ({ status: 200, body: this.recorded.stats() }) },
      { method: 'POST', template: '/__sim/stats/reset', handle: () => (this.recorded.reset(), done) },
      { method: 'GET', template: '/__sim/requests', handle: () => ({ status: 200, body: this.recorded.log() }) },
      {
        method: 'POST',
        template: '/__sim/overrides',
        handle: ({ value }) => {
          const override = value as SimOverride | null;
          if (!override || typeof override.method !== 'string' || typeof override.path !== 'string' || typeof override.status !== 'number') {
            return { status: 400, body: { detail: 'expected {method, path, status, body?, times?}' } };
          }
          this.overrides.add(override);
          return done;
        },
      },
      { method: 'DELETE', template: '/__sim/overrides', handle: () => (this.overrides.clear(), done) },
      { method: 'GET', template: '/__sim/clock', handle: now },
      {
        method: 'POST',
        template: '/__sim/clock',
        handle: ({ value }) => {
          const advanceMs = (value as { advanceMs?: unknown } | null)?.advanceMs;
          if (typeof advanceMs !== 'number' || !(advanceMs >= 0)) return { status: 400, body: { detail: 'expected {advanceMs: a number of ms >= 0}' } };
          this.clock.advance(advanceMs);
          return now();
        },
      },
      { method: 'GET', template: '/__sim/faults', handle: () => ({ status: 200, body: this.faults.list() }) },
      {
        method: 'POST',
        template: '/__sim/faults',
        handle: ({ value }) => {
          const problem = faultProblem(value);
          if (problem) return { status: 400, body: { detail: problem } };
          this.faults.add(value as FaultSpec);
          return done;
        },
      },
      { method: 'DELETE', template: '/__sim/faults', handle: () => (this.faults.clear(), done) },
    ];
  }
}

function send(res: ServerResponse, response: SimResponse): void {
  const payload = response.text ?? (response.body === undefined ? '' : JSON.stringify(response.body));
  res.writeHead(response.status, {
    ...(payload ? { 'content-type': 'application/json' } : {}),
    'content-length': Buffer.byteLength(payload),
    ...response.headers,
  });
  res.end(payload);
}
