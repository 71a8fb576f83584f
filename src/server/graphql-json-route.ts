import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, processRegularResult, type YogaServerInstance } from 'graphql-yoga';
import { getCORSHeadersByRequestAndOptions, sendNodeResponse } from '@whatwg-node/server';
import type { Context } from '../schema/builder.js';
import type { Logger } from '../logger.js';
import type { AnswerFinish } from './plugins.js';
import type { RequestRecord } from './request-record.js';
import { replyJson } from './node-http.js';

/**
 * GraphQL's common request, a `POST` of a JSON body with a length, answered with JSON, without
 * yoga's Fetch layer: no Fetch `Request` is made of the Node request, and no `Response` of the
 * answer to be written back. Measured (issue 25): a fifth of a cache-missing read's CPU and a third
 * of a cached one's went to that layer (its promise chains, `processResult`, the `Response` and
 * `sendNodeResponse`), more than the operation's own execution.
 *
 * The operation still goes through yoga's own stages, so every plugin sees it as before:
 * `parseRequest` (CSRF, body size, authentication, introspection switch, yoga's JSON parser and its
 * checks of the parameters) and `getResultForParams` (parse, validate, the operation plan, execute,
 * error masking); the answer gets the same last steps (`AnswerFinish`) and CORS headers. Whatever is
 * not the common case is yoga's, whole: another method, content type, path or `Accept`, a body
 * without a length, a subscription, and any request whose parameters yoga refuses — that one is
 * replayed through yoga's Fetch handler with the body already read, so its error answer is yoga's
 * word for word (the caller is not authenticated twice: the record keeps the first attempt).
 */
export interface GraphqlJsonRouteOptions {
  readonly yoga: YogaServerInstance<{ record: RequestRecord }, Context>;
  /** The GraphQL path; a request with a query string goes to yoga. */
  readonly path: string;
  /** The same CORS options yoga is given (`corsFor`). */
  readonly cors: (request: { readonly headers: Pick<Headers, 'get'> }) => Parameters<typeof getCORSHeadersByRequestAndOptions>[1];
  /** The same last steps yoga's `useAnswerFinish` takes. */
  readonly finish: AnswerFinish;
  /** MAX_REQUEST_BODY_BYTES (yoga's route refuses larger bodies; this one never reads them). */
  readonly maxBodyBytes: number;
  readonly logger: Logger;
}

/** Work a plugin leaves running after its answer (yoga's `waitUntil`): its failure is logged. */
function waitUntilFor(logger: Logger): (work: unknown) => void {
  return (work) => {
    void Promise.resolve(work).catch((error: unknown) => logger.error({ error }, 'work left after an answer failed'));
  };
}

export type GraphqlRoute = (req: IncomingMessage, res: ServerResponse, record: RequestRecord) => void;

/** The `graphql` route of the HTTP front: the common case here, the rest to yoga. */
export function createGraphqlJsonRoute(options: GraphqlJsonRouteOptions): GraphqlRoute {
  const { yoga } = options;
  const state = { ...options, waitUntil: waitUntilFor(options.logger) };
  return (req, res, record) => {
    const mediaType = answeredDirectly(req, options);
    if (mediaType === null) return void yoga.handle(req, res, { record });
    void answer(req, res, record, mediaType, state);
  };
}

/**
 * The media type of the answer when the request is the common case (yoga's choice for a single
 * result: the last of its JSON types the `Accept` list matches), else null.
 */
function answeredDirectly(req: IncomingMessage, options: GraphqlJsonRouteOptions): JsonMediaType | null {
  if (req.method !== 'POST' || req.url !== options.path) return null;
  const headers = req.headers;
  // yoga's test for its JSON parser: the first of a list, exactly, or with parameters.
  const contentType = headers['content-type']?.split(',')[0];
  if (contentType !== 'application/json' && !contentType?.startsWith('application/json;')) return null;
  // Without a length, yoga counts the body as it streams: that stays yoga's.
  const length = headers['content-length'];
  if (length === undefined || headers['transfer-encoding'] !== undefined || !/^\d+$/.test(length) || Number(length) > options.maxBodyBytes) return null;
  return jsonMediaTypeFor(headers.accept);
}

type JsonMediaType = 'application/json' | 'application/graphql-response+json';
const JSON_MEDIA_TYPES: readonly JsonMediaType[] = ['application/graphql-response+json', 'application/json'];
const acceptCache = new Map<string, JsonMediaType | null>();

/**
 * yoga's result-processor choice for a single result, for one `Accept` header: its media types in
 * reverse order (only UTF-8 ones), each matched against its two JSON types; the last match wins.
 * Remembered per header value (clients send a handful).
 */
function jsonMediaTypeFor(accept: string | undefined): JsonMediaType | null {
  const header = accept ?? '*/*';
  const known = acceptCache.get(header);
  if (known !== undefined) return known;
  let chosen: JsonMediaType | null = null;
  const asked = header.replace(/\s/g, '').toLowerCase().split(',').reverse();
  for (const entry of asked) {
    const [mediaType, ...params] = entry.split(';');
    const charset = params.find((param) => param.includes('charset=')) ?? 'charset=utf-8';
    if (mediaType === undefined || charset !== 'charset=utf-8') continue;
    const [askedType, askedSubtype] = mediaType.split('/');
    for (const type of JSON_MEDIA_TYPES) {
      const [major, minor] = type.split('/');
      if ((askedType === '*' || askedType === major) && (askedSubtype === '*' || askedSubtype === minor)) chosen = type;
    }
  }
  if (acceptCache.size < 100) acceptCache.set(header, chosen);
  return chosen;
}

/** A subscription streams (yoga's event-stream route); a document that may hold one goes there. */
const MAY_SUBSCRIBE = /\bsubscription\b/;

type RouteState = GraphqlJsonRouteOptions & { readonly waitUntil: (work: unknown) => void };

async function answer(req: IncomingMessage, res: ServerResponse, record: RequestRecord, mediaType: JsonMediaType, options: RouteState): Promise<void> {
  const { yoga } = options;
  const request = new ReadJsonRequest(req, options.maxBodyBytes);
  // What yoga hands its plugins with each request; its stages add `request` and `params` to it.
  const serverContext = { record, waitUntil: options.waitUntil };
  // A Fetch request's part that yoga and the plugins read (headers, method, url, the JSON body).
  const fetchRequest = request as unknown as Request;
  const viaYoga = () => replayThroughYoga(fetchRequest, req, res, record, yoga);
  try {
    // A refusal here (a token, the body, the parameters) is answered by yoga's own error route.
    let parsed: Awaited<ReturnType<typeof yoga.parseRequest>>;
    try {
      parsed = await yoga.parseRequest(fetchRequest, serverContext);
    } catch {
      return await viaYoga();
    }
    const params = parsed.requestParserResult;
    if (parsed.response || params === undefined || Array.isArray(params) || MAY_SUBSCRIBE.test(params.query ?? '')) return await viaYoga();
    let result: Awaited<ReturnType<typeof yoga.getResultForParams>>;
    try {
      result = await yoga.getResultForParams({ params, request: fetchRequest }, serverContext);
    } catch (error) {
      // yoga checks the parameters' types before it runs anything (its `params` are then on the
      // context): a refusal there is answered by yoga, a failure after it is not run twice.
      if ('params' in serverContext) throw error;
      return await viaYoga();
    }
    const cors = getCORSHeadersByRequestAndOptions(fetchRequest, options.cors(request));
    if (isAsyncIterable(result)) {
      // Subscriptions go to yoga and nothing else streams: an answer that does is a bug.
      await result[Symbol.asyncIterator]().return?.();
      throw new Error('a streamed answer on the JSON route');
    }
    const finished = options.finish(result as ExecutionResult, record);
    if (!plainAnswer(finished)) return await sendNodeResponse(withHeaders(processRegularResult(finished, yoga.fetchAPI, mediaType), cors), res, req, true);
    if (res.destroyed) return;
    const body = JSON.stringify(finished);
    res.writeHead(200, { ...cors, 'content-type': `${mediaType}; charset=utf-8`, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  } catch (error) {
    // yoga's stages answer every error of an operation; one that escapes them is a bug.
    options.logger.error({ reqId: record.id, error }, 'GraphQL JSON route failed');
    record.errorCodes = ['INTERNAL_SERVER_ERROR'];
    replyJson(res, 500, { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  }
}

/**
 * An answer yoga would write as it is: no errors (whose HTTP status and headers yoga works out) and
 * no HTTP instructions in its extensions (`processRegularResult` with nothing to do).
 */
function plainAnswer(result: ExecutionResult): boolean {
  return (result.errors === undefined || result.errors.length === 0) && (result.extensions as { http?: unknown } | undefined)?.http === undefined && !('stringify' in result);
}

function withHeaders(response: Response, headers: Record<string, string> | null): Response {
  if (headers) for (const name in headers) response.headers.set(name, headers[name]!);
  return response;
}

/** yoga's whole answer to a request this route has begun to read (its body is kept). */
async function replayThroughYoga(request: Request, req: IncomingMessage, res: ServerResponse, record: RequestRecord, yoga: GraphqlJsonRouteOptions['yoga']): Promise<void> {
  const response = await yoga.fetch(request, { record });
  await sendNodeResponse(response, res, req, true);
}

/**
 * The part of a Fetch `Request` yoga's request stage reads, over a Node request: its headers as
 * they are, and its body read once, when yoga's JSON parser asks for it (after authentication).
 */
class ReadJsonRequest {
  readonly method = 'POST';
  readonly url: string;
  readonly headers: NodeRequestHeaders;
  /** The body is not a stream here: yoga's body-size guard has the length to check, and nothing to count. */
  readonly body = null;
  private bodyText: Promise<string> | null = null;

  constructor(
    private readonly req: IncomingMessage,
    private readonly maxBytes: number,
  ) {
    this.url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
    this.headers = new NodeRequestHeaders(req.headers);
  }

  /**
   * yoga's JSON parser turns a SyntaxError (or a body that did not arrive) into its 400, with the
   * message its Fetch request gives (which quotes the body).
   */
  async json(): Promise<unknown> {
    const text = await this.text();
    try {
      return JSON.parse(text);
    } catch (error) {
      if (error instanceof SyntaxError) error.message += `, "${text}" is not valid JSON`;
      throw error;
    }
  }

  /** The body, read once, when first asked for. */
  text(): Promise<string> {
    this.bodyText ??= readBody(this.req, this.maxBytes);
    return this.bodyText;
  }
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      // Node reads no more than Content-Length bytes, checked before: a guard, not a limit.
      if (bytes > maxBytes) req.destroy(new Error('request body over its limit'));
      else chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client left before its request body was complete'));
    });
  });
}

/** Fetch `Headers`' reading side over a Node request's headers (whose names are lower-case). */
class NodeRequestHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of this.entries()) callback(value, name);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
