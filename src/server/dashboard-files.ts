import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressSync, negotiate, type CompressedBody } from './compression.js';

/** Where `npm run build` writes the dashboard: `dist/web`, beside both `src/` and `dist/`. */
export const DASHBOARD_BUILD_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));
/** The page's own files are below this path; the page itself is `/`. */
export const DASHBOARD_ASSET_PATH = '/dashboard/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The page may load only its own files and talk only to this server: no CDN, no inline script,
 * and no other site may frame it.
 */
const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

interface StaticFile {
  /** Compressed once at start (brotli and gzip; ~70 KB of files take a few milliseconds). */
  readonly body: CompressedBody;
  readonly type: string;
}

/**
 * The built dashboard, read once at start and served from memory: a fixed set of files, so no
 * request path ever reaches the file system. Null when it was not built.
 */
export class DashboardFiles {
  private constructor(private readonly files: ReadonlyMap<string, StaticFile>) {}

  static load(dir = DASHBOARD_BUILD_DIR): DashboardFiles | null {
    if (!existsSync(join(dir, 'index.html'))) return null;
    const files = new Map<string, StaticFile>();
    try {
      for (const name of readdirSync(dir)) {
        const type = CONTENT_TYPES[extname(name)];
        if (!type) continue;
        const body = compressSync(readFileSync(join(dir, name)));
        files.set(name === 'index.html' ? '/' : `${DASHBOARD_ASSET_PATH}${name}`, { body, type });
      }
    } catch {
      // Being rebuilt while this server starts: no page rather than half of one.
      return null;
    }
    return files.has('/') ? new DashboardFiles(files) : null;
  }

  /** Answers the request when it is for the page or one of its files; false otherwise. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const key = path === '/index.html' ? '/' : path;
    const file = this.files.get(key);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    // Revalidated each time (a 304 costs nothing), so a rebuilt page is never served stale.
    const { body, headers: encoded, notModified } = negotiate(req, file.body);
    const headers: Record<string, string | number> = {
      'content-type': file.type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...encoded,
    };
    if (key === '/') {
      headers['content-security-policy'] = PAGE_POLICY;
      headers['referrer-policy'] = 'no-referrer';
    }
    if (notModified) {
      delete headers['content-length'];
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
}
