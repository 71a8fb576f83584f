import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { Authenticator } from '../security/auth.js';
import { OutboundGraphError } from '../domain/errors.js';
import { headersOf } from './node-http.js';
import { compress, compressSync, negotiate, type CompressedBody } from './compression.js';

/**
 * GraphiQL at GET /graphql for browsers. Its page is 9 MB of inlined JavaScript: it is rendered
 * once, on the first request, compressed once (gzip and brotli), and then served from memory to
 * every load, so a crowd of page loads costs bytes on the wire, not a render each.
 *
 * When callers need tokens, the page itself needs one too: a browser first gets a small sign-in
 * page (a few KB, no render), which sends the token it is given with `Authorization` to the same
 * URL and writes the GraphiQL page it gets back into the document, with the token in GraphiQL's
 * headers. The token stays in this tab (session storage), as on the dashboard.
 */

export interface GraphiqlOptions {
  /** The GraphiQL options the page is rendered with (title, default query…). */
  readonly render: Record<string, unknown>;
  /** Who may load the page: everyone when callers need no token. */
  readonly authenticator: Authenticator;
  readonly logger: Logger;
}

/** Stands for the caller's token in the page sent to signed-in browsers; the sign-in page puts the token in its place. */
const TOKEN_PLACEHOLDER = '__OUTBOUND_GRAPH_TOKEN__';

/** The page may not be framed by another site (clickjacking); its own inline scripts run as GraphiQL needs. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

export class GraphiqlPage {
  private page: Promise<CompressedBody> | null = null;
  private readonly signIn: CompressedBody;

  constructor(private readonly options: GraphiqlOptions) {
    this.signIn = compressSync(Buffer.from(signInPage(typeof options.render.title === 'string' ? options.render.title : 'GraphiQL')));
  }

  /** Whether the request asks for GraphiQL: a browser's GET of the GraphQL path. */
  wants(req: IncomingMessage): boolean {
    return (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html');
  }

  /** Answers a request for the page. */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { authenticator } = this.options;
    if (authenticator.required) {
      if (req.headers.authorization === undefined) return send(req, res, this.signIn);
      try {
        await authenticator.authenticate(headersOf(req), req.socket.remoteAddress ?? null);
      } catch (error) {
        const message = error instanceof OutboundGraphError ? error.message : 'The token could not be checked.';
        const code = error instanceof OutboundGraphError ? error.code : 'UNAUTHENTICATED';
        res.writeHead(code === 'AUTH_UNAVAILABLE' ? 503 : 401, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
        return;
      }
    }
    try {
      send(req, res, await this.rendered());
    } catch (error) {
      this.page = null;
      this.options.logger.error({ error: error instanceof Error ? error.message : String(error) }, 'GraphiQL could not be rendered');
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('GraphiQL could not be rendered.');
    }
  }

  /** Rendered and compressed once, however many loads ask at the same time. */
  private rendered(): Promise<CompressedBody> {
    this.page ??= (async () => {
      // Loaded with the first page, not at start: 9 MB of text most servers never serve.
      const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
      const signedIn = this.options.authenticator.required
        ? { headers: JSON.stringify({ Authorization: `Bearer ${TOKEN_PLACEHOLDER}` }), shouldPersistHeaders: false }
        : {};
      // Compressed off the event loop (zlib's thread pool): other requests go on meanwhile.
      return compress(Buffer.from(renderGraphiQL({ ...this.options.render, ...signedIn })));
    })();
    return this.page;
  }
}

function send(req: IncomingMessage, res: ServerResponse, page: CompressedBody): void {
  const { body, headers, notModified } = negotiate(req, page);
  if (notModified) {
    res.writeHead(304, { ...PAGE_HEADERS, etag: String(headers.etag), vary: 'accept-encoding, authorization' });
    res.end();
    return;
  }
  // The same URL answers the sign-in page or GraphiQL, by the Authorization header.
  res.writeHead(200, { ...PAGE_HEADERS, ...headers, vary: 'accept-encoding, authorization' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The page a browser gets first when callers need tokens: it asks for one, then loads GraphiQL with it. */
function signInPage(title: string): string {
  const escaped = title.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escaped}: sign in</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 34rem; margin: 4rem auto; padding: 0 1rem; color: #1a1a1a; }
label, input, button { display: block; width: 100%; box-sizing: border-box; font: inherit; }
input { margin: .3rem 0 1rem; padding: .5rem; }
button { padding: .5rem; cursor: pointer; }
#problem { color: #a40000; }
</style>
</head>
<body>
<h1>${escaped}</h1>
<p>This server needs a bearer token with the <code>batches:read</code> scope. It is kept in this tab only (session storage) and sent as <code>Authorization: Bearer …</code>.</p>
<form id="sign-in">
<label for="token">Token</label>
<input id="token" name="token" autocomplete="off" spellcheck="false" required>
<button type="submit">Open GraphiQL</button>
</form>
<p id="problem" role="alert"></p>
<script>
(function () {
  var KEY = 'outbound-graph.token';
  var TOKEN = /^[A-Za-z0-9._~+\\/=-]+$/;
  var problem = document.getElementById('problem');
  function open(token) {
    if (!TOKEN.test(token)) { problem.textContent = 'That is not a bearer token (letters, digits and . _ ~ + / = - only).'; return; }
    problem.textContent = 'Loading GraphiQL…';
    fetch(location.pathname + location.search, { headers: { accept: 'text/html', authorization: 'Bearer ' + token } }).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (body) { throw new Error((body && body.errors && body.errors[0] && body.errors[0].message) || ('HTTP ' + response.status)); }, function () { throw new Error('HTTP ' + response.status); });
      }
      return response.text().then(function (html) {
        sessionStorage.setItem(KEY, token);
        document.open();
        document.write(html.replace('${TOKEN_PLACEHOLDER}', token));
        document.close();
      });
    }).catch(function (error) {
      sessionStorage.removeItem(KEY);
      problem.textContent = 'Not signed in: ' + error.message;
    });
  }
  document.getElementById('sign-in').addEventListener('submit', function (event) {
    event.preventDefault();
    open(document.getElementById('token').value.trim());
  });
  var kept = sessionStorage.getItem(KEY);
  if (kept) open(kept);
})();
</script>
</body>
</html>
`;
}
