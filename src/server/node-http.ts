import type { IncomingMessage, ServerResponse } from 'node:http';
import { OutboundGraphError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { statusOf } from './errors.js';
import type { RequestRecord } from './request-record.js';

/** The headers of a Node request as Fetch `Headers` (what the authenticator reads). */
export function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return headers;
}

/** A JSON answer, never cached; nothing when an answer has already begun. */
export function replyJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/**
 * An error of a route answered outside GraphQL, in GraphQL's shape (`{ errors: [{ message,
 * extensions: { code, … } }] }`) with the HTTP status that fits it; anything but our typed
 * errors is masked and logged.
 */
export function replyError(res: ServerResponse, error: unknown, record: RequestRecord, logger: Logger, what: string): void {
  const known = error instanceof OutboundGraphError;
  const status = known ? statusOf(error) : 500;
  if (status === 500) logger.error({ reqId: record.id, error }, `${what} failed`);
  record.errorCodes = [known ? error.code : 'INTERNAL_SERVER_ERROR'];
  const extensions: Record<string, unknown> = known ? { code: error.code, ...error.extensions() } : { code: 'INTERNAL_SERVER_ERROR' };
  const retryAfter = known && typeof extensions.retryAfter === 'number' ? { 'retry-after': String(Math.ceil(extensions.retryAfter)) } : undefined;
  replyJson(res, status, { errors: [{ message: known ? error.message : 'Unexpected error.', extensions }] }, retryAfter);
}
