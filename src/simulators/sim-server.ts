import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimClock, type ProgressSettings } from './progress.js';
import { deliverFaulty, FaultBook, faultProblem, withExtraFields, withUnknownEnums, type FaultKind, type FaultSpec } from './faults.js';

/**
 * A small HTTP server for a vendor simulator: routes by path template, checks the vendor's auth
 * header, counts requests per route and serves an admin API under `/__sim/` (stats, request log,
 * canned overrides) that tests and benchmarks use. Binds to loopback only.
 */

export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** JSON as parsed; a form (urlencoded or multipart) as its fields; null when empty. */
  readonly body: unknown;
  /** The body's media type without parameters (`application/json`, `multipart/form-data`); '' when none. */
  readonly contentType: string;
}

export interface SimResponse {
  readonly status: number;
  readonly body?: unknown;
  /** `body` already serialised, for large answers served many times. */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Set by a fault: how the answer goes wrong on the wire. */
  readonly fault?: { kind: FaultKind; spec: FaultSpec };
}

export interface SimRoute {
  readonly method: string;
  /** Path template with `{name}` segments, as in the vendor's OpenAPI document. */
  readonly template: string;
  readonly handle: (request: SimRequest) => SimResponse;
}

export interface SimAuth {
  /** True when the request carries the right credentials. */
  readonly accepts: (headers: IncomingMessage['headers']) => boolean;
  readonly rejection: SimResponse;
}

/** A canned answer for matching requests, set over the admin API. */
export interface SimOverride {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body?: unknown;
  /** How many requests it answers; unlimited when absent. */
  times?: number;
}

export interface SimStats {
  /** Requests per `METHOD template`, admin routes excluded. */
  readonly requests: Record<string, number>;
  readonly total: number;
  /** Vendor requests in progress now. */
  readonly inFlight: number;
  /** Most vendor requests in progress at once since the last reset. */
  readonly maxInFlight: number;
  /** Requests answered 429 by the simulator's own rate limit. */
  readonly rateLimited: number;
  /** Most requests seen in any rate-limit window (0 when the simulator enforces no limit). */
  readonly maxInWindow: number;
  /** Requests whose connection closed before their answer was complete. */
  readonly closedEarly: number;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly body: unknown;
  readonly contentType: string;
  /** When it arrived, epoch ms. */
  readonly at: number;
}

export interface SimulatorOptions {
  /** Delay before every vendor answer, in ms (to observe concurrency). @default 0 */
  readonly latencyMs?: number;
  /** Whether running batches move as time passes. @default off */
  readonly progress?: ProgressSettings;
  /** Faults active from the start. */
  readonly faults?: readonly FaultSpec[];
}

/** The vendor's own request limit, enforced with 429 as the vendor documents. */
export interface SimRateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** How the vendor words an error body. */
export type ErrorBody = (status: number, message: string) => unknown;

const MAX_LOGGED_REQUESTS = 500;
const MAX_BODY_BYTES = 1024 * 1024;

interface CompiledRoute extends SimRoute {
  readonly regex: RegExp;
  readonly names: string[];
}

function compile(route: SimRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.template
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(match[1]);
      return '([^/]+)';
    })
    .join('/');
  return { ...route, regex: new RegExp(`^${source}$`), names };
}

export class SimulatorServer {
  private readonly routes: CompiledRoute[];
  private readonly server: Server;
  private counts: Record<string, number> = {};
  private inFlight = 0;
  private maxInFlight = 0;
  private log: LoggedRequest[] = [];
  private overrides: SimOverride[] = [];
  private readonly faults: FaultBook;
  private windowTimes: number[] = [];
  private rateLimited = 0;
  private maxInWindow = 0;
  private closedEarly = 0;

  constructor(
    readonly name: string,
    routes: readonly SimRoute[],
    private readonly auth: SimAuth,
    private readonly errorBody: ErrorBody,
    private readonly options: SimulatorOptions = {},
    private readonly rateLimit: SimRateLimit | null = null,
    /** Runs before each vendor answer (simulated time passing). */
    private readonly beforeAnswer: () => void = () => {},
    /** Simulated time, moved ahead over the admin API. */
    private readonly clock: SimClock = new SimClock(),
  ) {
    this.routes = routes.map(compile);
    this.faults = new FaultBook(options.faults);
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

  stats(): SimStats {
    const total = Object.values(this.counts).reduce((sum, n) => sum + n, 0);
    return {
      requests: { ...this.counts },
      total,
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      rateLimited: this.rateLimited,
      maxInWindow: this.maxInWindow,
      closedEarly: this.closedEarly,
    };
  }

  resetStats(): void {
    this.counts = {};
    this.maxInFlight = 0;
    this.log = [];
    this.rateLimited = 0;
    this.maxInWindow = 0;
    this.closedEarly = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const body = await readBody(req);
    if (url.pathname.startsWith('/__sim/')) {
      send(res, this.admin(req.method ?? 'GET', url.pathname, body));
      return;
    }
    // An exchange is in flight until its connection is done with it, stalled answers included.
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.once('close', () => {
      this.inFlight -= 1;
      if (!res.writableFinished) this.closedEarly += 1;
    });
    const response = await this.vendorResponse(req, res, url, body);
    if (res.destroyed) return;
    if (response.fault) deliverFaulty(res, response.status, response.text ?? JSON.stringify(response.body ?? null), response.fault.kind, response.fault.spec);
    else send(res, response);
  }

  /** Waits, but stops as soon as the client closes, so a slow answer leaves no timer behind. */
  private pause(ms: number, res: ServerResponse): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        res.off('close', done);
        resolve();
      }
      res.once('close', done);
    });
  }

  /** Applies the vendor's documented limit; returns a 429 when it is exceeded. */
  private overLimit(): SimResponse | null {
    if (!this.rateLimit) return null;
    const now = Date.now();
    const { limit, windowMs } = this.rateLimit;
    while ((this.windowTimes[0] ?? now) <= now - windowMs) this.windowTimes.shift();
    if (this.windowTimes.length >= limit) {
      this.rateLimited += 1;
      const retryAfter = Math.max(1, Math.ceil(((this.windowTimes[0] ?? now) + windowMs - now) / 1000));
      return { status: 429, body: this.errorBody(429, 'Rate limit exceeded'), headers: { 'retry-after': String(retryAfter) } };
    }
    this.windowTimes.push(now);
    this.maxInWindow = Math.max(this.maxInWindow, this.windowTimes.length);
    return null;
  }

  private async vendorResponse(req: IncomingMessage, res: ServerResponse, url: URL, body: ReadBody): Promise<SimResponse> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    let matched: { route: CompiledRoute; params: Record<string, string> } | null = null;
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.regex.exec(path);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1] ?? '')));
      matched = { route, params };
      break;
    }
    const counter = matched ? `${method} ${matched.route.template}` : `${method} (unmatched)`;
    this.counts[counter] = (this.counts[counter] ?? 0) + 1;
    this.log.push({ method, path, query: url.search, body: body.value, contentType: body.contentType, at: Date.now() });
    if (this.log.length > MAX_LOGGED_REQUESTS) this.log.shift();

    const faults = this.faults.take(method, path);
    const latency = (this.options.latencyMs ?? 0) + faults.reduce((sum, f) => sum + (f.latencyMs ?? 0) + Math.random() * (f.jitterMs ?? 0), 0);
    await this.pause(latency, res);
    const limited = this.overLimit();
    if (limited) return limited;
    if (!this.auth.accepts(req.headers)) return this.auth.rejection;

    const failure = faults.find((f) => f.status !== undefined && f.kind === undefined);
    if (failure?.status !== undefined) {
      return {
        status: failure.status,
        body: failure.body ?? this.errorBody(failure.status, `simulated failure (HTTP ${failure.status})`),
        headers: failure.retryAfter ? { 'retry-after': failure.retryAfter } : undefined,
      };
    }
    const wire = faults.find((f) => f.kind !== undefined);
    // Faults that strike before the vendor does anything.
    if (wire?.kind === 'reset' || wire?.kind === 'stall-headers') return { status: 0, fault: { kind: wire.kind, spec: wire } };

    const answer = this.answer(method, path, matched, url, body);
    if (!wire?.kind) return answer;
    const content = wire.kind === 'unknown-enums' ? withUnknownEnums(answer.body) : wire.kind === 'extra-fields' ? withExtraFields(answer.body) : answer.body;
    const text = content === answer.body ? answer.text : undefined;
    return { ...answer, body: content, text, fault: { kind: wire.kind, spec: wire } };
  }

  private answer(method: string, path: string, matched: { route: CompiledRoute; params: Record<string, string> } | null, url: URL, body: ReadBody): SimResponse {
    const override = this.takeOverride(method, path);
    if (override) return override;
    if (!matched) return { status: 404, body: this.errorBody(404, 'Not Found') };
    if (body.malformed) return { status: 422, body: { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] } };
    this.beforeAnswer();
    return matched.route.handle({ method, path, params: matched.params, query: url.searchParams, body: body.value, contentType: body.contentType });
  }

  private takeOverride(method: string, path: string): SimResponse | null {
    const index = this.overrides.findIndex((o) => o.method === method && o.path === path);
    const override = this.overrides[index];
    if (!override) return null;
    if (override.times !== undefined) {
      override.times -= 1;
      if (override.times <= 0) this.overrides.splice(index, 1);
    }
    return { status: override.status, body: override.body };
  }

  private admin(method: string, path: string, body: ReadBody): SimResponse {
    if (method === 'GET' && path === '/__sim/stats') return { status: 200, body: this.stats() };
    if (method === 'POST' && path === '/__sim/stats/reset') {
      this.resetStats();
      return { status: 204 };
    }
    if (method === 'GET' && path === '/__sim/requests') return { status: 200, body: this.log };
    if (method === 'POST' && path === '/__sim/overrides') {
      const override = body.value as SimOverride | null;
      if (!override || typeof override.method !== 'string' || typeof override.path !== 'string' || typeof override.status !== 'number') {
        return { status: 400, body: { detail: 'expected {method, path, status, body?, times?}' } };
      }
      this.overrides.push({ ...override });
      return { status: 204 };
    }
    if (method === 'DELETE' && path === '/__sim/overrides') {
      this.overrides = [];
      return { status: 204 };
    }
    if (method === 'GET' && path === '/__sim/clock') return { status: 200, body: { now: new Date(this.clock.now()).toISOString() } };
    if (method === 'POST' && path === '/__sim/clock') {
      const advanceMs = (body.value as { advanceMs?: unknown } | null)?.advanceMs;
      if (typeof advanceMs !== 'number' || !(advanceMs >= 0)) return { status: 400, body: { detail: 'expected {advanceMs: a number of ms >= 0}' } };
      this.clock.advance(advanceMs);
      return { status: 200, body: { now: new Date(this.clock.now()).toISOString() } };
    }
    if (method === 'GET' && path === '/__sim/faults') return { status: 200, body: this.faults.list() };
    if (method === 'POST' && path === '/__sim/faults') {
      const problem = faultProblem(body.value);
      if (problem) return { status: 400, body: { detail: problem } };
      this.faults.add(body.value as FaultSpec);
      return { status: 204 };
    }
    if (method === 'DELETE' && path === '/__sim/faults') {
      this.faults.clear();
      return { status: 204 };
    }
    return { status: 404, body: { detail: 'unknown admin route' } };
  }
}

interface ReadBody {
  readonly value: unknown;
  readonly malformed: boolean;
  readonly contentType: string;
}

/** Reads a body as its content type says: JSON, or a form (urlencoded or multipart) as its text fields. */
async function readBody(req: IncomingMessage): Promise<ReadBody> {
  const header = req.headers['content-type'] ?? '';
  const contentType = header.split(';')[0]!.trim().toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { value: null, malformed: true, contentType };
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return { value: null, malformed: false, contentType };
  const bytes = Buffer.concat(chunks);
  try {
    if (contentType === 'application/x-www-form-urlencoded' || contentType === 'multipart/form-data') {
      // The platform's own form parser (undici's), as a vendor's framework would parse it.
      const form = await new Request('http://simulator/', { method: 'POST', headers: { 'content-type': header }, body: bytes }).formData();
      const fields: Record<string, string> = {};
      for (const [name, value] of form.entries()) if (typeof value === 'string') fields[name] = value;
      return { value: fields, malformed: false, contentType };
    }
    return { value: JSON.parse(bytes.toString('utf8')) as unknown, malformed: false, contentType };
  } catch {
    return { value: null, malformed: true, contentType };
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
