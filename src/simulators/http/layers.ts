import type { IncomingMessage, ServerResponse } from 'node:http';
import { withExtraFields, withUnknownEnums, type FaultBook, type FaultKind, type FaultSpec } from '../faults.js';
import type { FormBody, ReadBody } from './body.js';
import type { RouteMatch } from './routes.js';

/**
 * What a vendor simulator does around its routes, as layers: each one sees the request, may answer
 * it, and otherwise hands it on to the next. Counting and logging, latency and faults, the
 * vendor's rate limit, its auth, canned overrides: the routes themselves know none of them.
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
  /** A form body in full (repeated fields, files); null otherwise. */
  readonly form: FormBody | null;
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

/** A vendor route's handler. */
export type RouteHandler = (request: SimRequest) => SimResponse;

/** One request to a vendor route, as the layers see it. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly url: URL;
  readonly body: ReadBody;
  /** The route it matched; null when none did. */
  readonly match: RouteMatch<RouteHandler> | null;
  /** Faults that hit this request (set by the fault layer). */
  faults: FaultSpec[];
}

export type Layer = (exchange: Exchange, next: () => Promise<SimResponse>) => Promise<SimResponse>;

/** The layers around a last step, outermost first. */
export function compose(layers: readonly Layer[], last: (exchange: Exchange) => Promise<SimResponse>): (exchange: Exchange) => Promise<SimResponse> {
  return layers.reduceRight<(exchange: Exchange) => Promise<SimResponse>>((inner, layer) => (exchange) => layer(exchange, () => inner(exchange)), last);
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

const MAX_LOGGED_REQUESTS = 500;

/** What tests and benchmarks read of a simulator: requests per route, the last ones, in flight, refused. */
export class RequestStats {
  private counts: Record<string, number> = {};
  private inFlight = 0;
  private maxInFlight = 0;
  private logged: LoggedRequest[] = [];
  rateLimited = 0;
  maxInWindow = 0;
  private closedEarly = 0;

  /** Counts, logs and watches each request until its connection is done with it (stalled answers included). */
  readonly layer: Layer = (exchange, next) => {
    const { method, url, body, res, match } = exchange;
    const counter = match ? `${method} ${match.route.template}` : `${method} (unmatched)`;
    this.counts[counter] = (this.counts[counter] ?? 0) + 1;
    this.logged.push({ method, path: url.pathname, query: url.search, body: body.value, contentType: body.contentType, at: Date.now() });
    if (this.logged.length > MAX_LOGGED_REQUESTS) this.logged.shift();
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.once('close', () => {
      this.inFlight -= 1;
      if (!res.writableFinished) this.closedEarly += 1;
    });
    return next();
  };

  stats(): SimStats {
    const total = Object.values(this.counts).reduce((sum, n) => sum + n, 0);
    return { requests: { ...this.counts }, total, inFlight: this.inFlight, maxInFlight: this.maxInFlight, rateLimited: this.rateLimited, maxInWindow: this.maxInWindow, closedEarly: this.closedEarly };
  }

  log(): readonly LoggedRequest[] {
    return this.logged;
  }

  reset(): void {
    this.counts = {};
    this.maxInFlight = 0;
    this.logged = [];
    this.rateLimited = 0;
    this.maxInWindow = 0;
    this.closedEarly = 0;
  }
}

/** The faults that hit the request are taken, and its answer waits for the simulator's latency and theirs. */
export function delayed(book: FaultBook, latencyMs: number): Layer {
  return async (exchange, next) => {
    exchange.faults = book.take(exchange.method, exchange.url.pathname);
    const wait = latencyMs + exchange.faults.reduce((sum, f) => sum + (f.latencyMs ?? 0) + Math.random() * (f.jitterMs ?? 0), 0);
    await pause(wait, exchange.res);
    return next();
  };
}

/** Waits, but stops as soon as the client closes, so a slow answer leaves no timer behind. */
function pause(ms: number, res: ServerResponse): Promise<void> {
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

/** The vendor's own request limit, enforced with 429 as the vendor documents. */
export interface SimRateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** How the vendor words an error body. */
export type ErrorBody = (status: number, message: string) => unknown;

/** Past `limit` requests in a sliding window, a 429 with `Retry-After`, as the vendor answers. */
export function rateLimited(rateLimit: SimRateLimit, stats: RequestStats, errorBody: ErrorBody): Layer {
  const times: number[] = [];
  return (_exchange, next) => {
    const now = Date.now();
    const { limit, windowMs } = rateLimit;
    while ((times[0] ?? now) <= now - windowMs) times.shift();
    if (times.length >= limit) {
      stats.rateLimited += 1;
      const retryAfter = Math.max(1, Math.ceil(((times[0] ?? now) + windowMs - now) / 1000));
      return Promise.resolve({ status: 429, body: errorBody(429, 'Rate limit exceeded'), headers: { 'retry-after': String(retryAfter) } });
    }
    times.push(now);
    stats.maxInWindow = Math.max(stats.maxInWindow, times.length);
    return next();
  };
}

export interface SimAuth {
  /** True when the request carries the right credentials. */
  readonly accepts: (headers: IncomingMessage['headers']) => boolean;
  readonly rejection: SimResponse;
}

export function authenticated(auth: SimAuth): Layer {
  return (exchange, next) => (auth.accepts(exchange.req.headers) ? next() : Promise.resolve(auth.rejection));
}

/** A fault with a status (and no wire kind) answers with it and the vendor's error body. */
export function failingByFault(errorBody: ErrorBody): Layer {
  return (exchange, next) => {
    const failure = exchange.faults.find((f) => f.status !== undefined && f.kind === undefined);
    if (failure?.status === undefined) return next();
    return Promise.resolve({
      status: failure.status,
      body: failure.body ?? errorBody(failure.status, `simulated failure (HTTP ${failure.status})`),
      headers: failure.retryAfter ? { 'retry-after': failure.retryAfter } : undefined,
    });
  };
}

/**
 * A fault of the wire: one that strikes before the vendor does anything (`reset`,
 * `stall-headers`), or one that spoils the answer it gives (its content, or how it is sent).
 */
export const wireFaults: Layer = async (exchange, next) => {
  const wire = exchange.faults.find((f) => f.kind !== undefined);
  if (!wire?.kind) return next();
  if (wire.kind === 'reset' || wire.kind === 'stall-headers') return { status: 0, fault: { kind: wire.kind, spec: wire } };
  const answer = await next();
  const content = wire.kind === 'unknown-enums' ? withUnknownEnums(answer.body) : wire.kind === 'extra-fields' ? withExtraFields(answer.body) : answer.body;
  const text = content === answer.body ? answer.text : undefined;
  return { ...answer, body: content, text, fault: { kind: wire.kind, spec: wire } };
};

/** A canned answer for matching requests, set over the admin API. */
export interface SimOverride {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body?: unknown;
  /** How many requests it answers; unlimited when absent. */
  times?: number;
}

/** Canned answers, each for its method and path, used up by `times`. */
export class Overrides {
  private list: SimOverride[] = [];

  readonly layer: Layer = (exchange, next) => {
    const index = this.list.findIndex((o) => o.method === exchange.method && o.path === exchange.url.pathname);
    const override = this.list[index];
    if (!override) return next();
    if (override.times !== undefined) {
      override.times -= 1;
      if (override.times <= 0) this.list.splice(index, 1);
    }
    return Promise.resolve({ status: override.status, body: override.body });
  };

  add(override: SimOverride): void {
    this.list.push({ ...override });
  }

  clear(): void {
    this.list = [];
  }
}
