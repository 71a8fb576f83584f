import { Pool, errors as undiciErrors } from 'undici';
import type { Dispatcher } from 'undici';
import type { HttpSettings, VendorSettings } from '../config.js';
import { VendorError, VendorRejectedInputError, vendorLabel } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';
import { Semaphore } from './semaphore.js';

export type QueryValue = string | number | boolean | readonly string[] | null | undefined;

export interface VendorRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path below the vendor's base URL, starting with `/`; callers encode path segments. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

export interface VendorAuth {
  readonly header: string;
  readonly value: (apiKey: string) => string;
}

/** How a vendor words the message of an error body. */
export type ErrorMessageReader = (body: unknown) => string | null;

/**
 * The one place that speaks HTTP to vendors: a keep-alive pool per vendor origin, per-attempt
 * timeouts, a response-size cap, a concurrency bound, credential handling and the mapping of
 * HTTP failures to typed errors. Adapters call `getJson`/`sendJson` and never see undici.
 */
export class VendorHttpClient {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly limiter: Semaphore;

  constructor(
    readonly vendor: Vendor,
    private readonly settings: VendorSettings,
    private readonly http: HttpSettings,
    private readonly auth: VendorAuth,
    private readonly readErrorMessage: ErrorMessageReader,
  ) {
    const url = new URL(settings.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: http.maxConcurrency,
      connect: { timeout: http.connectTimeoutMs },
      headersTimeout: http.headersTimeoutMs,
      bodyTimeout: http.bodyTimeoutMs,
      keepAliveTimeout: 4_000,
    });
    this.limiter = new Semaphore(http.maxConcurrency);
  }

  /** GET returning parsed JSON, or `null` when the vendor answers 404. */
  async getJson(path: string, query?: VendorRequest['query'], signal?: AbortSignal): Promise<unknown> {
    return this.call({ method: 'GET', path, query, signal }, { notFoundAsNull: true });
  }

  /** A write with a JSON body; 404 answers `null` as for reads. */
  async sendJson(method: 'PUT' | 'POST', path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    return this.call({ method, path, body, signal }, { notFoundAsNull: true });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async call(request: VendorRequest, options: { notFoundAsNull: boolean }): Promise<unknown> {
    const { statusCode, body } = await this.limiter.run(() => this.send(request));
    if (statusCode >= 200 && statusCode < 300) return body;
    if (statusCode === 404 && options.notFoundAsNull) return null;
    throw this.errorFor(statusCode, body);
  }

  private async send(request: VendorRequest): Promise<{ statusCode: number; body: unknown }> {
    const label = vendorLabel(this.vendor);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'outbound-graph',
      [this.auth.header]: this.auth.value(this.settings.apiKey),
    };
    let payload: string | undefined;
    if (request.body !== undefined) {
      payload = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await this.pool.request({
        method: request.method,
        path: this.basePath + request.path + queryString(request.query),
        headers,
        body: payload,
        signal: request.signal,
      });
    } catch (error) {
      throw this.transportError(error);
    }
    const text = await this.readBody(response).catch((error: unknown) => {
      throw error instanceof VendorError ? error : this.transportError(error);
    });
    if (text.length === 0) return { statusCode: response.statusCode, body: null };
    try {
      return { statusCode: response.statusCode, body: JSON.parse(text) as unknown };
    } catch {
      if (response.statusCode >= 400) return { statusCode: response.statusCode, body: null };
      throw new VendorError(this.vendor, 'VENDOR_BAD_RESPONSE', `${label} answered with a body that is not valid JSON.`, response.statusCode);
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

  private tooLarge(statusCode: number): VendorError {
    return new VendorError(
      this.vendor,
      'VENDOR_BAD_RESPONSE',
      `${vendorLabel(this.vendor)} sent a response larger than ${this.http.maxResponseBytes} bytes.`,
      statusCode,
    );
  }

  private errorFor(statusCode: number, body: unknown): Error {
    const label = vendorLabel(this.vendor);
    if (statusCode === 401 || statusCode === 403) {
      // The vendor's wording is dropped: some echo the presented key back.
      return new VendorError(this.vendor, 'VENDOR_AUTH', `${label} refused the credentials (HTTP ${statusCode}): check the credentials for ${label}.`, statusCode);
    }
    const message = this.readErrorMessage(body);
    if (statusCode === 400 || statusCode === 422) {
      return new VendorRejectedInputError(this.vendor, statusCode, message ?? `HTTP ${statusCode}`);
    }
    const detail = message ? `: ${message}` : '';
    return new VendorError(this.vendor, 'VENDOR_ERROR', `${label} answered HTTP ${statusCode}${detail}`, statusCode);
  }

  private transportError(error: unknown): VendorError {
    const label = vendorLabel(this.vendor);
    if (error instanceof undiciErrors.ConnectTimeoutError) {
      return new VendorError(this.vendor, 'VENDOR_TIMEOUT', `${label} did not accept a connection within ${this.http.connectTimeoutMs} ms.`, null, { cause: error });
    }
    if (error instanceof undiciErrors.HeadersTimeoutError) {
      return new VendorError(this.vendor, 'VENDOR_TIMEOUT', `${label} did not answer within ${this.http.headersTimeoutMs} ms.`, null, { cause: error });
    }
    if (error instanceof undiciErrors.BodyTimeoutError) {
      return new VendorError(this.vendor, 'VENDOR_TIMEOUT', `${label} stopped sending its response for ${this.http.bodyTimeoutMs} ms.`, null, { cause: error });
    }
    if (error instanceof undiciErrors.RequestAbortedError || (error instanceof Error && error.name === 'AbortError')) {
      return new VendorError(this.vendor, 'VENDOR_UNAVAILABLE', `The call to ${label} was canceled.`, null, { cause: error });
    }
    return new VendorError(this.vendor, 'VENDOR_UNAVAILABLE', `${label} could not be reached.`, null, { cause: error });
  }
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
