import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CallAbort } from '../http/call-signal.js';
import type { Caller } from '../security/auth.js';

/** What is known of one HTTP request by the time it is answered: the request log line and metrics. */
export interface RequestRecord {
  readonly id: string;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  operationName: string | null;
  operationType: 'query' | 'mutation' | 'subscription' | null;
  /** `extensions.code` of each error in the answer, in order. */
  errorCodes: string[];
  /** Vendor calls the operation started (cache hits and shared reads are free). */
  vendorCalls: number;
  caller: Caller | null;
  /**
   * The caller's authentication, once started: a request that GraphQL's JSON route hands back to
   * yoga (to answer an error as yoga does) is not authenticated twice.
   */
  authentication: Promise<Caller> | null;
  /** The client's socket address (per-caller limits count against it when there is no token). */
  readonly address: string | null;
  /** The operation's place under MAX_INFLIGHT_OPERATIONS; a subscription gives it back once it streams. */
  admission: { release(): void } | null;
  /**
   * Aborted when the client leaves before its answer is complete (the connection or socket
   * closed): the operation's vendor calls stop. Cheaper than listening to the Fetch request's
   * `AbortSignal` (see CallAbort).
   */
  readonly clientLeft: CallAbort;
}

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The id a request is known by in logs and in the `x-request-id` response header: the client's
 * `x-request-id` when it is a plain token, else the trace id of a W3C `traceparent`, else new.
 */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  if (typeof given === 'string' && CLIENT_REQUEST_ID.test(given)) return given;
  const trace = typeof headers.traceparent === 'string' ? TRACEPARENT.exec(headers.traceparent.trim()) : null;
  if (trace && !/^0+$/.test(trace[1]!)) return trace[1]!;
  return randomUUID();
}

export function newRequestRecord(headers: IncomingHttpHeaders, address: string | null = null): RequestRecord {
  return {
    id: requestIdOf(headers),
    startedAt: performance.now(),
    operationName: null,
    operationType: null,
    errorCodes: [],
    vendorCalls: 0,
    caller: null,
    authentication: null,
    address,
    admission: null,
    clientLeft: new CallAbort(),
  };
}
