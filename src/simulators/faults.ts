import type { ServerResponse } from 'node:http';

/**
 * Faults a simulator can inject, set at run time (`POST /__sim/faults`) or at start
 * (`SIM_SYLLABLE_FAULTS` / `SIM_BOLNA_FAULTS`, a JSON array). Each fault applies to requests whose
 * method and path match, for a share of them (`rate`) and a number of times (`times`).
 */
export interface FaultSpec {
  /** Only this method; every method when absent. */
  readonly method?: string;
  /** Only paths starting with this; every vendor route when absent. */
  readonly path?: string;
  /** Share of matching requests affected, 0 to 1. @default 1 */
  readonly rate?: number;
  /** How many requests it affects before it is spent; unlimited when absent. */
  times?: number;
  /** Added delay before answering, plus a random 0..jitterMs. */
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  /** Answer with this status and the vendor's error body (or `body`). */
  readonly status?: number;
  readonly body?: unknown;
  /** `Retry-After` header value: seconds or an HTTP date. */
  readonly retryAfter?: string;
  /** How the answer goes wrong on the wire or in its content. */
  readonly kind?: FaultKind;
  /** With `drip`: bytes a second. @default 1 */
  readonly bytesPerSecond?: number;
  /** With `oversize`: bytes of the body. @default 50 MiB */
  readonly sizeBytes?: number;
}

export const FAULT_KINDS = [
  'reset',
  'reset-after-handling',
  'stall-headers',
  'stall-body',
  'drip',
  'truncated',
  'malformed-json',
  'html',
  'oversize',
  'unknown-enums',
  'extra-fields',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Checks a fault from JSON; returns a message for the first problem, or null. */
export function faultProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'a fault is a JSON object';
  const fault = value as Record<string, unknown>;
  if (fault.kind !== undefined && !(FAULT_KINDS as readonly unknown[]).includes(fault.kind)) return `kind must be one of ${FAULT_KINDS.join(', ')}`;
  for (const key of ['rate', 'times', 'latencyMs', 'jitterMs', 'status', 'bytesPerSecond', 'sizeBytes']) {
    if (fault[key] !== undefined && (typeof fault[key] !== 'number' || fault[key] < 0)) return `${key} must be a non-negative number`;
  }
  if (fault.status === undefined && fault.kind === undefined && fault.latencyMs === undefined) return 'a fault needs a status, a kind or a latency';
  return null;
}

export class FaultBook {
  private faults: FaultSpec[] = [];

  constructor(initial: readonly FaultSpec[] = []) {
    for (const fault of initial) this.add(fault);
  }

  add(fault: FaultSpec): void {
    this.faults.push({ ...fault });
  }

  clear(): void {
    this.faults = [];
  }

  list(): readonly FaultSpec[] {
    return this.faults;
  }

  /** The faults that hit this request, each spending one of its `times`. */
  take(method: string, path: string): FaultSpec[] {
    const hits = this.faults.filter(
      (f) => (!f.method || f.method === method) && (!f.path || path.startsWith(f.path)) && Math.random() < (f.rate ?? 1),
    );
    for (const hit of hits) if (hit.times !== undefined) hit.times -= 1;
    this.faults = this.faults.filter((f) => f.times === undefined || f.times > 0);
    return hits;
  }
}

/** Rewrites every status value to one no published enum has, as a vendor changing its enums would. */
export function withUnknownEnums(body: unknown): unknown {
  return transform(body, (key, value) => (['status', 'request_status', 'channel_manager_status'].includes(key) && typeof value === 'string' ? `${value}_V2` : value));
}

/** Adds a field no document names to every object. */
export function withExtraFields(body: unknown): unknown {
  return transform(body, (_key, value) => value, { x_added_later: { note: 'a field the published schema does not have' } });
}

function transform(value: unknown, map: (key: string, value: unknown) => unknown, extra: Record<string, unknown> = {}): unknown {
  if (Array.isArray(value)) return value.map((item) => transform(item, map, extra));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = map(key, transform(inner, map, extra));
  return { ...out, ...extra };
}

/**
 * Writes `payload` as a fault of the wire says: cut, stalled, dripped or oversized. Timers stop
 * when the client closes, so a fault never outlives its connection.
 */
export function deliverFaulty(res: ServerResponse, status: number, payload: string, kind: FaultKind, fault: FaultSpec): void {
  const bytes = Buffer.from(payload);
  const half = bytes.subarray(0, Math.floor(bytes.length / 2));
  switch (kind) {
    case 'reset':
    case 'reset-after-handling':
      res.socket?.destroy();
      return;
    case 'stall-headers':
      return;
    case 'stall-body':
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
      res.write(half);
      return;
    case 'truncated':
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
      res.write(half, () => res.socket?.destroy());
      return;
    case 'drip': {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
      let sent = 0;
      const timer = setInterval(() => {
        if (sent >= bytes.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(bytes.subarray(sent, sent + 1));
        sent += 1;
      }, 1000 / (fault.bytesPerSecond ?? 1));
      res.on('close', () => clearInterval(timer));
      return;
    }
    case 'malformed-json':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items": [{"batch_id": "20260101.1", ');
      return;
    case 'html':
      res.writeHead(fault.status ?? 502, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');
      return;
    case 'oversize':
      streamOversize(res, fault.sizeBytes ?? 50 * 1024 * 1024);
      return;
    case 'unknown-enums':
    case 'extra-fields':
      // Content faults are applied to the body before delivery; the wire is normal.
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
      res.end(bytes);
      return;
  }
}

/** A valid JSON body of `size` bytes, written with back-pressure so the simulator stays small. */
function streamOversize(res: ServerResponse, size: number): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"padding":"');
  let written = 0;
  const pump = () => {
    while (written < size && !res.destroyed) {
      written += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end('"}');
  };
  pump();
}
