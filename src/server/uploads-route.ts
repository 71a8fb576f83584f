import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SharedVendor } from '../cache/caching-adapter.js';
import { InvalidInputError } from '../domain/errors.js';
import { VENDORS, type Vendor } from '../domain/model.js';
import { checkCountry, checkTargetsSoon } from '../domain/targets.js';
import { readTargetTable, tableTargets, UploadRejectedError, type TableLimits } from '../launch/target-table.js';
import { newUploadId, UPLOAD_TTL_MS, type UploadStore } from '../launch/upload-store.js';
import type { Logger } from '../logger.js';
import { SCOPES, type Authenticator } from '../security/auth.js';
import { missingScope } from '../security/grants.js';
import type { VendorRegistry } from '../vendors/vendor-registry.js';
import { CSRF_HEADERS } from './app.js';
import { headersOf, replyError, replyJson } from './node-http.js';
import type { RequestRecord } from './request-record.js';

export const UPLOADS_PATH = '/uploads';

/** The biggest list an upload may hold. */
export const UPLOAD_LIMITS: TableLimits = { maxBytes: 20 * 1_048_576, maxRows: 100_000 };

export interface UploadsRouteOptions {
  readonly authenticator: Authenticator;
  readonly uploads: UploadStore;
  readonly vendors: VendorRegistry<SharedVendor>;
  readonly logger: Logger;
  readonly limits?: TableLimits;
}

/**
 * `POST /uploads?vendor=…&defaultCountry=…` with a CSV body (`text/csv`, UTF-8): the list is read
 * as it streams in, checked as `validateTargets` would, and kept an hour for its caller. Answers
 * `{ uploadId, expiresAt, validation }`; refusals come as GraphQL-style `{ errors: [...] }` with an
 * HTTP status (400 malformed, 401/403 auth, 413 too large, 415 not CSV). Like a mutation, it needs
 * `batches:write` and a CSRF header (a page of another site cannot send one without CORS).
 */
export async function handleUpload(req: IncomingMessage, res: ServerResponse, record: RequestRecord, options: UploadsRouteOptions): Promise<void> {
  const limits = options.limits ?? UPLOAD_LIMITS;
  try {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      throw new UploadRejectedError('Send the CSV with POST.', 400, null);
    }
    if (!CSRF_HEADERS.some((name) => req.headers[name] !== undefined)) {
      throw new UploadRejectedError(`Send one of the headers ${CSRF_HEADERS.join(', ')} (e.g. \`x-graphql-yoga-csrf: upload\`): it shows the request is not a form of another site.`, 400, null);
    }
    const caller = await options.authenticator.authenticate(headersOf(req), req.socket.remoteAddress ?? null);
    record.caller = caller;
    if (!caller.scopes.has(SCOPES.write)) throw missingScope(SCOPES.write);
    const [mediaType, ...parameters] = (req.headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
    if (mediaType !== 'text/csv') throw new UploadRejectedError('Send the list as `content-type: text/csv` (UTF-8, a header row, one row per target).', 415, null);
    const charset = parameters.find((part) => part.startsWith('charset='))?.slice('charset='.length);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new UploadRejectedError('Only UTF-8 is taken: save the file as "CSV UTF-8".', 415, null);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) throw new UploadRejectedError(`The file is larger than ${Math.round(limits.maxBytes / 1_048_576)} MB: split it.`, 413);
    const query = new URL(req.url ?? '/', 'http://upload').searchParams;
    const vendor = vendorOf(query.get('vendor'));
    const adapter = options.vendors.get(vendor);
    const defaultCountry = checkCountry(query.get('defaultCountry') ?? 'US');

    const table = await readTargetTable(req as AsyncIterable<Uint8Array>, limits);
    const { validation } = await checkTargetsSoon(tableTargets(table), { rules: adapter.targetRules, defaultCountry, keepTargets: false });
    const id = newUploadId();
    const createdAt = Date.now();
    await options.uploads.put({ id, owner: caller.key, vendor, createdAt, table });
    replyJson(res, 200, { uploadId: id, expiresAt: new Date(createdAt + UPLOAD_TTL_MS).toISOString(), validation });
  } catch (error) {
    replyError(res, error, record, options.logger, 'upload');
    discardRest(req);
  }
}

/** Bytes of a refused body read and dropped, so the client gets its answer; past them the connection is cut. */
const MAX_DISCARDED_BYTES = 32 * 1_048_576;

/** Reads what is left of a refused body and drops it; a body longer than that loses its connection. */
function discardRest(req: IncomingMessage): void {
  if (req.readableEnded) return;
  let dropped = 0;
  const timer = setTimeout(() => req.destroy(), 10_000);
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.byteLength;
    if (dropped > MAX_DISCARDED_BYTES) req.destroy();
  });
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

function vendorOf(value: string | null): Vendor {
  const vendor = value?.toLowerCase();
  if (!vendor || !(VENDORS as readonly string[]).includes(vendor)) {
    throw new InvalidInputError(`Say which vendor the list is for: \`?vendor=${VENDORS.join('` or `?vendor=')}\`.`, 'vendor');
  }
  return vendor as Vendor;
}
