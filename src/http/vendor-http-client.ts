import { createHash } from 'node:crypto';
import { FormData, Pool, errors as undiciErrors } from 'undici';
import type { Dispatcher } from 'undici';
import { markNeverSent, VendorError, VendorRejectedInputError, vendorLabel } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';
import type { CallOptions } from './call-options.js';
import { abortReason, type CallSignal } from './call-signal.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { ClientGoneError, DeadlineExceededError, sleep } from './deadline.js';
import { ArrayTooLargeError, readJsonArray } from './json-array-splitter.js';
import { LocalCallGate, type CallGate } from './call-gate.js';
import { backoffDelayMs, parseRetryAfter, RetryBudget } from './retry-policy.js';
import { scrubVendorText } from './scrub.js';
import { Semaphore } from './semaphore.js';
import type { HttpSettings, VendorHealth, VendorSettings } from './settings.js';

export type QueryValue = string | number | boolean | readonly string[] | null | undefined;

/** A JSON array read element by element: each raw element mapped, `null` skipped. */
export interface StreamedArray<T> {
  readonly items: T[];
  /** Elements `map` could not read (answered null): never dropped without being counted. */
  readonly unreadable: number;
  /** Bytes of the body, a measure of what the items cost to keep. */
  readonly bytes: number;
}

/** How an exchange turns a 2xx body into a value; error bodies are always read whole. */
type BodyReader = (response: Dispatcher.ResponseData) => Promise<unknown>;

/** A write's body in the encoding the vendor's route takes. */
export type VendorBody =
  | { readonly json: unknown }
  /** `application/x-www-form-urlencoded` (Syllable's batch delete). */
  | { readonly form: Readonly<Record<string, string>> }
  /** `multipart/form-data` (Bolna's create and schedule, Syllable's upload): an array repeats the field. */
  | { readonly multipart: Readonly<Record<string, string | readonly string[] | VendorFile>> };

/** A file part of a multipart body. */
export interface VendorFile {
  readonly fileName: string;
  readonly contentType: string;
  readonly content: string;
}

export type WriteMethod = 'PUT' | 'POST' | 'DELETE';

export interface VendorRequest {
  readonly method: 'GET' | WriteMethod;
  /** Path below the vendor's base URL, starting with `/`; callers encode path segments. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: VendorBody;
}

export interface VendorAuth {
  readonly header: string;
  readonly value: (apiKey: string) => string;
}

/** How a vendor words the message of an error body. */
export type ErrorMessageReader = (body: unknown) => string | null;

interface Answer {
  readonly statusCode: number;
  readonly body: unknown;
  readonly retryAfterMs: number | null;
}

/** Statuses worth another attempt: the vendor is throttling or briefly unable. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Failures before the vendor could answer (refused, reset, no connection in time): safe to retry. */
const connectionFailures = new WeakSet<VendorError>();
const unsent = markNeverSent;
/** Arrays up to this size (declared by Content-Length) are parsed whole; larger ones as they stream. */
const SMALL_ARRAY_BYTES = 1024 * 1024;
/** A retry wait shorter than this before the deadline is not worth starting. */
const DEADLINE_MARGIN_MS = 50;

/**
 * The one place that speaks HTTP to vendors. Per vendor it holds a keep-alive pool, a concurrency
 * bound, a rate limiter, a circuit breaker, a retry budget and a `Retry-After` gate; every call
 * runs within its request's deadline. HTTP outcomes become typed errors. Adapters call
 * `getJson`/`sendJson` and never see undici.
 */
export class VendorHttpClient {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly concurrency: Semaphore;
  /** The vendor's Retry-After and our rate limit for this credential: this process's, or the fleet's. */
  private readonly gate: CallGate;
  private readonly breaker: CircuitBreaker;
  private readonly budget: RetryBudget;
  private readonly label: string;
  /**
   * Names this vendor account without revealing it (a hash of base URL and key): shared caches
   * key on it, so two credentials never see each other's data.
   */
  readonly credentialScope: string;

  constructor(
    readonly vendor: Vendor,
    private readonly settings: VendorSettings,
    private readonly http: HttpSettings,
    private readonly auth: VendorAuth,
    private readonly readErrorMessage: ErrorMessageReader,
    private readonly random: () => number = Math.random,
  ) {
    const url = new URL(settings.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: http.maxConcurrency,
      connect: { timeout: http.connectTimeoutMs },
      headersTimeout: http.headersTimeoutMs,
      bodyTimeout: http.bodyTimeoutMs,
      keepAliveTimeout: 4_000,
      // undici closes a connection whose server announces a keep-alive of 2 s or less (its default
      // margin is 2 s); a margin of 500 ms keeps such connections reused.
      keepAliveTimeoutThreshold: 500,
    });
    this.concurrency = new Semaphore(http.maxConcurrency);
    this.breaker = new CircuitBreaker(http.breaker);
    this.budget = new RetryBudget(http.retry);
    this.label = vendorLabel(vendor);
    this.credentialScope = `${vendor}:${createHash('sha256').update(`${settings.baseUrl}\n${settings.apiKey}`).digest('hex').slice(0, 16)}`;
    const limits = { perMinute: http.rateLimitPerMinute, queue: http.rateLimitQueue };
    this.gate = http.gates?.gateFor(this.credentialScope, limits) ?? new LocalCallGate(limits);
  }

  /** GET returning parsed JSON, or `null` when the vendor answers 404. */
  getJson(path: string, query: VendorRequest['query'], call: CallOptions): Promise<unknown> {
    return this.call({ method: 'GET', path, query }, call, true);
  }

  /**
   * GET of an unpaged JSON array (results of every target). A large one is parsed as it streams
   * in, one element at a time through `map`, so memory holds the mapped items, never the whole
   * text; one of at most 1 MiB is parsed whole. Bodies may be up to `maxResultsBytes`. `null`
   * when the vendor answers 404.
   */
  async getJsonArray<T>(path: string, query: VendorRequest['query'], call: CallOptions, map: (raw: unknown) => T | null): Promise<StreamedArray<T> | null> {
    const read: BodyReader = (response) => this.readArray(response, map);
    return (await this.call({ method: 'GET', path, query }, call, true, read)) as StreamedArray<T> | null;
  }

  /**
   * A write; 404 answers `null`. Only `idempotent` writes (a PUT of absolute values) are retried:
   * a lost answer to any other does not tell whether it was applied, and a second stop or delete
   * could act on what the first left.
   */
  send(method: WriteMethod, path: string, body: VendorBody | undefined, call: CallOptions, idempotent = method === 'PUT'): Promise<unknown> {
    return this.call({ method, path, body }, call, idempotent);
  }

  health(): VendorHealth {
    return { vendor: this.vendor, breaker: this.breaker.stateAt(), rateLimitWaiting: this.gate.waiting() };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async call(request: VendorRequest, call: CallOptions, retryable: boolean, read?: BodyReader): Promise<unknown> {
    this.budget.recordCall();
    for (let attempt = 1; ; attempt += 1) {
      let answer: Answer;
      try {
        answer = await this.attempt(request, call, read);
      } catch (error) {
        const retry = retryable && error instanceof VendorError && connectionFailures.has(error) && !call.signal.aborted;
        if (!retry || !(await this.waitToRetry(attempt, null, call))) throw error;
        continue;
      }
      const { statusCode, body } = answer;
      if (statusCode >= 200 && statusCode < 300) return body;
      if (statusCode === 404) return null;
      if (answer.retryAfterMs !== null) this.gate.holdOff(answer.retryAfterMs);
      const failure = this.errorFor(answer);
      if (!retryable || !RETRYABLE_STATUS.has(statusCode) || !(await this.waitToRetry(attempt, answer.retryAfterMs, call))) throw failure;
    }
  }

  /**
   * Waits before attempt `attempt + 1` if attempts, budget and deadline allow; false otherwise.
   * A `Retry-After` that does not fit the deadline ends the call with RATE_LIMITED.
   */
  private async waitToRetry(attempt: number, retryAfterMs: number | null, call: CallOptions): Promise<boolean> {
    if (attempt >= this.http.retry.maxAttempts) return false;
    const delay = retryAfterMs ?? backoffDelayMs(attempt, this.http.retry, this.random);
    if (Date.now() + delay > call.expiresAtMs - DEADLINE_MARGIN_MS) {
      if (retryAfterMs !== null) throw this.rateLimited(retryAfterMs, `${this.label} asked to wait ${Math.ceil(retryAfterMs / 1000)} s, longer than this request may take.`);
      return false;
    }
    if (!this.budget.tryRetry()) return false;
    this.http.observer?.retried(this.vendor);
    await sleep(delay, call.signal).catch((reason: unknown) => {
      throw this.abortError(reason);
    });
    return true;
  }

  /** One attempt: breaker, then the gate (Retry-After and rate limit) and concurrency, then the HTTP exchange. */
  private async attempt(request: VendorRequest, call: CallOptions, read?: BodyReader): Promise<Answer> {
    if (!this.breaker.tryPass()) {
      const retryAfterSeconds = Math.ceil(this.breaker.retryInMs() / 1000);
      throw unsent(new VendorError(this.vendor, 'VENDOR_UNAVAILABLE', `${this.label} is failing; calls are paused for ${retryAfterSeconds} s.`, null, { retryAfterSeconds }));
    }
    // The rate slot is taken once a connection is free, so each call leaves when its slot says:
    // vendors count calls as they arrive, not as they were queued.
    let sent = false;
    try {
      const answer = await this.concurrency.run(async () => {
        await this.takeRateLimitSlot(call);
        sent = true;
        return this.exchange(request, call.signal, read);
      }, call.signal);
      // 5xx means the vendor is unwell; 4xx (429 included) means it is up and answering.
      if (answer.statusCode >= 500) this.breaker.recordFailure();
      else this.breaker.recordSuccess();
      return answer;
    } catch (error) {
      if (call.signal.aborted) {
        this.breaker.recordNeutral();
        const aborted = this.abortError(call.signal.reason);
        throw sent ? aborted : unsent(aborted);
      }
      if (!sent) {
        // Refused by the rate limit or the vendor's wait: nothing was learnt of the vendor.
        this.breaker.recordNeutral();
        throw unsent(error);
      }
      if (error instanceof VendorError && error.code === 'VENDOR_BAD_RESPONSE') this.breaker.recordSuccess();
      else this.breaker.recordFailure();
      throw error;
    }
  }

  private async takeRateLimitSlot(call: CallOptions): Promise<void> {
    const admission = await this.gate.admit(call.expiresAtMs - DEADLINE_MARGIN_MS - Date.now());
    if ('refusedForMs' in admission) {
      const { refusedForMs } = admission;
      throw this.rateLimited(
        refusedForMs,
        admission.cause === 'vendor'
          ? `${this.label} asked not to be called for ${Math.ceil(refusedForMs / 1000)} s more.`
          : `Too many calls to ${this.label}: its rate limit of ${this.http.rateLimitPerMinute} a minute is used up.`,
      );
    }
    if (admission.waitMs <= 0) return;
    await sleep(admission.waitMs, call.signal).catch((reason: unknown) => {
      admission.release();
      throw this.abortError(reason);
    });
  }

  private async exchange(request: VendorRequest, signal: CallSignal, read?: BodyReader): Promise<Answer> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'outbound-graph',
      [this.auth.header]: this.auth.value(this.settings.apiKey),
    };
    const payload = encodeBody(request.body, headers);
    let response: Dispatcher.ResponseData;
    const started = performance.now();
    const observe = (outcome: number | 'error') => this.http.observer?.exchanged(this.vendor, request.method, outcome, (performance.now() - started) / 1000);
    try {
      const pending = this.pool.request({ method: request.method, path: this.basePath + request.path + queryString(request.query), headers, body: payload, signal });
      response = await untilAborted(pending, signal);
    } catch (error) {
      observe('error');
      throw this.transportError(error);
    }
    observe(response.statusCode);
    const retryAfterMs = response.statusCode === 429 || response.statusCode === 503 ? parseRetryAfter(response.headers['retry-after']) : null;
    const asVendorError = (error: unknown) => {
      throw error instanceof VendorError ? error : this.transportError(error);
    };
    if (read && response.statusCode >= 200 && response.statusCode < 300) {
      return { statusCode: response.statusCode, body: await read(response).catch(asVendorError), retryAfterMs };
    }
    const text = await this.readBody(response).catch(asVendorError);
    if (text.length === 0) return { statusCode: response.statusCode, body: null, retryAfterMs };
    try {
      return { statusCode: response.statusCode, body: JSON.parse(text) as unknown, retryAfterMs };
    } catch {
      // An error page in HTML is still an HTTP error; a success that is not JSON is unusable.
      if (response.statusCode >= 400) return { statusCode: response.statusCode, body: null, retryAfterMs };
      throw new VendorError(this.vendor, 'VENDOR_BAD_RESPONSE', `${this.label} answered with a body that is not valid JSON.`, response.statusCode);
    }
  }

  /** Reads the body as text, refusing it as soon as it passes the size cap. */
  private async readBody(response: Dispatcher.ResponseData): Promise<string> {
    const max = this.http.maxResponseBytes;
    const declared = Number(response.headers['content-length'] ?? NaN);
    if (declared > max) {
      response.body.destroy();
      throw this.tooLarge(response.statusCode);
    }
    // A declared length bounds the body (undici fails a longer one): read it in one go.
    if (Number.isFinite(declared)) return response.body.text();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > max) {
        response.body.destroy();
        throw this.tooLarge(response.statusCode);
      }
      chunks.push(buffer);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  /** Streams a JSON array body through `map`, refusing it past `maxResultsBytes` or when it is not an array. */
  private async readArray<T>(response: Dispatcher.ResponseData, map: (raw: unknown) => T | null): Promise<StreamedArray<T>> {
    const max = this.http.maxResultsBytes;
    if (Number(response.headers['content-length'] ?? NaN) > max) {
      response.body.destroy();
      throw this.tooLarge(response.statusCode, max);
    }
    const items: T[] = [];
    const declared = Number(response.headers['content-length'] ?? NaN);
    if (declared <= SMALL_ARRAY_BYTES) {
      // Small enough to hold at once: one native parse beats splitting it row by row.
      let parsed: unknown;
      try {
        parsed = JSON.parse(await response.body.text());
      } catch (error) {
        if (error instanceof SyntaxError) throw this.notAnArray(response.statusCode);
        throw error;
      }
      if (!Array.isArray(parsed)) throw this.notAnArray(response.statusCode);
      let unreadable = 0;
      for (const raw of parsed as unknown[]) {
        const item = map(raw);
        if (item !== null) items.push(item);
        else unreadable += 1;
      }
      return { items, unreadable, bytes: declared };
    }
    try {
      return await readJsonArray(response.body as AsyncIterable<Uint8Array>, map, max);
    } catch (error) {
      response.body.destroy();
      if (error instanceof SyntaxError) throw this.notAnArray(response.statusCode);
      if (error instanceof ArrayTooLargeError) throw this.tooLarge(response.statusCode, max);
      throw error;
    }
  }

  private notAnArray(statusCode: number): VendorError {
    return new VendorError(this.vendor, 'VENDOR_BAD_RESPONSE', `${this.label} answered with a body that is not a valid JSON array.`, statusCode);
  }

  private tooLarge(statusCode: number, max = this.http.maxResponseBytes): VendorError {
    return new VendorError(this.vendor, 'VENDOR_BAD_RESPONSE', `${this.label} sent a response larger than ${max} bytes.`, statusCode);
  }

  private rateLimited(waitMs: number, message: string): VendorError {
    return new VendorError(this.vendor, 'RATE_LIMITED', message, 429, { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });
  }

  private errorFor({ statusCode, body, retryAfterMs }: Answer): Error {
    if (statusCode === 401 || statusCode === 403) {
      // The vendor's wording is dropped: some echo the presented key back.
      return new VendorError(this.vendor, 'VENDOR_AUTH', `${this.label} refused the credentials (HTTP ${statusCode}): check the credentials for ${this.label}.`, statusCode);
    }
    const raw = this.readErrorMessage(body);
    const message = raw === null ? null : scrubVendorText(raw, this.settings);
    if (statusCode === 400 || statusCode === 422) return new VendorRejectedInputError(this.vendor, statusCode, message ?? `HTTP ${statusCode}`);
    if (statusCode === 429) {
      return this.rateLimited(retryAfterMs ?? this.http.retry.baseDelayMs, `${this.label} is throttling calls (HTTP 429).`);
    }
    const detail = message ? `: ${message}` : '';
    return new VendorError(this.vendor, 'VENDOR_ERROR', `${this.label} answered HTTP ${statusCode}${detail}`, statusCode);
  }

  private abortError(reason: unknown): VendorError {
    return callAbortedError(this.vendor, reason);
  }

  private transportError(error: unknown): VendorError {
    const label = this.label;
    if (error instanceof undiciErrors.ConnectTimeoutError) {
      return unsent(connectionFailure(new VendorError(this.vendor, 'VENDOR_TIMEOUT', `${label} did not accept a connection within ${this.http.connectTimeoutMs} ms.`, null, { cause: error })));
    }
    if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
      return unsent(connectionFailure(new VendorError(this.vendor, 'VENDOR_UNAVAILABLE', `${label} could not be reached (connection refused).`, null, { cause: error })));
    }
    if (error instanceof undiciErrors.HeadersTimeoutError) {
      return new VendorError(this.vendor, 'VENDOR_TIMEOUT', `${label} did not answer within ${this.http.headersTimeoutMs} ms.`);
    }
    if (error instanceof undiciErrors.BodyTimeoutError) {
      return new VendorError(this.vendor, 'VENDOR_TIMEOUT', `${label} stopped sending its response for ${this.http.bodyTimeoutMs} ms.`);
    }
    if (error instanceof undiciErrors.RequestAbortedError || (error instanceof Error && error.name === 'AbortError')) {
      return new VendorError(this.vendor, 'VENDOR_UNAVAILABLE', `The call to ${label} was canceled.`);
    }
    // Refused, reset or closed before a whole answer.
    return connectionFailure(new VendorError(this.vendor, 'VENDOR_UNAVAILABLE', `${label} could not be reached or closed the connection.`, null, { cause: error }));
  }
}

/** The typed error of a call whose request passed its deadline or whose client left while it waited or ran. */
export function callAbortedError(vendor: Vendor, reason: unknown): VendorError {
  const label = vendorLabel(vendor);
  if (reason instanceof DeadlineExceededError) {
    return new VendorError(vendor, 'VENDOR_TIMEOUT', `${label} did not answer within the request deadline of ${reason.budgetMs} ms.`);
  }
  if (reason instanceof ClientGoneError) return new VendorError(vendor, 'VENDOR_UNAVAILABLE', `The call to ${label} was canceled: the client left.`);
  return reason instanceof VendorError ? reason : new VendorError(vendor, 'VENDOR_UNAVAILABLE', `The call to ${label} was canceled.`);
}

function connectionFailure(error: VendorError): VendorError {
  connectionFailures.add(error);
  return error;
}

/**
 * undici leaves a request that still waits for its connection pending until the connect timeout,
 * whatever its signal says: stop waiting at once, and drop the response if it comes later.
 */
function untilAborted(pending: Promise<Dispatcher.ResponseData>, signal: CallSignal): Promise<Dispatcher.ResponseData> {
  if (signal.aborted) {
    pending.then((late) => late.body.destroy(), () => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      pending.then((late) => late.body.destroy(), () => {});
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (response) => {
        signal.removeEventListener('abort', onAbort);
        resolve(response);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Encodes a write's body and sets its content type; FormData sets its own, with the boundary. */
function encodeBody(body: VendorBody | undefined, headers: Record<string, string>): string | FormData | undefined {
  if (body === undefined) return undefined;
  if ('json' in body) {
    headers['content-type'] = 'application/json';
    return JSON.stringify(body.json);
  }
  if ('form' in body) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return new URLSearchParams(body.form).toString();
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(body.multipart)) {
    if (typeof value === 'string') form.append(name, value);
    else if (isFile(value)) form.append(name, new Blob([value.content], { type: value.contentType }), value.fileName);
    else for (const item of value) form.append(name, item);
  }
  return form;
}

function isFile(value: readonly string[] | VendorFile): value is VendorFile {
  return !Array.isArray(value);
}

function queryString(query: VendorRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
