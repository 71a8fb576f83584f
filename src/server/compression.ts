import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

/**
 * Static bodies served from memory, compressed once (brotli and gzip) and sent in the encoding a
 * client accepts. Only for whole bodies known in advance: streamed answers are never compressed.
 */
export interface CompressedBody {
  readonly identity: Buffer;
  readonly gzip: Buffer;
  readonly br: Buffer;
  readonly etag: string;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

function brotliOptions(size: number) {
  // Quality 9 of 11: within a few percent of the smallest, at a fraction of the time.
  return { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: size } };
}

/** Compresses a large body off the event loop (zlib's thread pool). */
export async function compress(body: Buffer): Promise<CompressedBody> {
  const [gzipped, br] = await Promise.all([gzipAsync(body, { level: 9 }), brotliAsync(body, brotliOptions(body.length))]);
  return { identity: body, gzip: gzipped, br, etag: etagOf(body) };
}

/** Compresses a small body at once (a few KB, at start). */
export function compressSync(body: Buffer): CompressedBody {
  return { identity: body, gzip: gzipSync(body, { level: 9 }), br: brotliCompressSync(body, brotliOptions(body.length)), etag: etagOf(body) };
}

/** The encoding to send: brotli, else gzip, by the client's `accept-encoding` (q=0 refuses); null for none. */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

/**
 * The representation to send for this request: its bytes, and the headers that go with them
 * (`content-encoding`, `content-length`, `etag` — one per encoding, as each is its own
 * representation — and `vary`); `notModified` when the client's `if-none-match` names it.
 */
export function negotiate(req: IncomingMessage, body: CompressedBody): { body: Buffer; headers: Record<string, string | number>; notModified: boolean } {
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const chosen = encoding === 'br' ? body.br : encoding === 'gzip' ? body.gzip : body.identity;
  const etag = encoding ? `${body.etag.slice(0, -1)}-${encoding}"` : body.etag;
  return {
    body: chosen,
    notModified: req.headers['if-none-match'] === etag,
    headers: { etag, vary: 'accept-encoding', 'content-length': chosen.length, ...(encoding ? { 'content-encoding': encoding } : {}) },
  };
}
