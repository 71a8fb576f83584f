import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  readonly body: unknown;
}

export interface SimResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
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
  /** Most vendor requests in progress at once since the last reset. */
  readonly maxInFlight: number;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly body: unknown;
}

export interface SimulatorOptions {
  /** Delay before every vendor answer, in ms (to observe concurrency). @default 0 */
  readonly latencyMs?: number;
}

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

  constructor(
    readonly name: string,
    routes: readonly SimRoute[],
    private readonly auth: SimAuth,
    private readonly options: SimulatorOptions = {},
  ) {
    this.routes = routes.map(compile);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) send(res, { status: 500, body: { detail: 'simulator error' } });
      });
    });
    // Keep-alive sockets must not hold a test process open after close().
    this.server.keepAliveTimeout = 2_000;
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
    return { requests: { ...this.counts }, total, maxInFlight: this.maxInFlight };
  }

  resetStats(): void {
    this.counts = {};
    this.maxInFlight = 0;
    this.log = [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const body = await readJsonBody(req);
    if (url.pathname.startsWith('/__sim/')) {
      send(res, this.admin(req.method ?? 'GET', url.pathname, body));
      return;
    }
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const response = await this.vendorResponse(req, url, body);
      if (!res.destroyed) send(res, response);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async vendorResponse(req: IncomingMessage, url: URL, body: ReadBody): Promise<SimResponse> {
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
    this.log.push({ method, path, query: url.search, body: body.value });
    if (this.log.length > MAX_LOGGED_REQUESTS) this.log.shift();

    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    if (!this.auth.accepts(req.headers)) return this.auth.rejection;
    const override = this.takeOverride(method, path);
    if (override) return override;
    if (!matched) return { status: 404, body: { detail: 'Not Found' } };
    if (body.malformed) return { status: 422, body: { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] } };
    return matched.route.handle({ method, path, params: matched.params, query: url.searchParams, body: body.value });
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
    return { status: 404, body: { detail: 'unknown admin route' } };
  }
}

interface ReadBody {
  readonly value: unknown;
  readonly malformed: boolean;
}

async function readJsonBody(req: IncomingMessage): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { value: null, malformed: true };
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return { value: null, malformed: false };
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, malformed: false };
  } catch {
    return { value: null, malformed: true };
  }
}

function send(res: ServerResponse, response: SimResponse): void {
  const payload = response.body === undefined ? '' : JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...(payload ? { 'content-type': 'application/json' } : {}),
    'content-length': Buffer.byteLength(payload),
    ...response.headers,
  });
  res.end(payload);
}
