import { createClient, NetworkError, type Client } from 'graphql-sse';
import type { TypedDocumentString } from '../generated/graphql';

/** The API this page is served by: same origin, so no CORS and no token in a URL. */
const GRAPHQL_PATH = '/graphql';
const TOKEN_KEY = 'outbound-graph.token';

/** One error of a GraphQL answer, as the server sends it. */
export interface ApiErrorItem {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** `extensions.warnings` of an answer: data served older because a vendor is failing (STALE_DATA), or what a retry should be read with. */
export interface AnswerWarning {
  readonly code: string;
  readonly vendor: string;
  readonly message: string;
  readonly fetchedAt?: string;
  readonly reason?: string;
}

/** Data with the errors and warnings that came with it (partial data is still data). */
export interface Answer<TData> {
  readonly data: TData;
  readonly errors: readonly ApiErrorItem[];
  readonly warnings: readonly AnswerWarning[];
}

/** A request that brought no data: the server's typed code, or NETWORK/HTTP_<status>. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** The caller's token, kept for this browser tab only. */
export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set(token: string | null): void {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    resetSubscriptions();
  },
};

function authHeaders(): Record<string, string> {
  const token = tokenStore.get();
  return token ? { authorization: `Bearer ${token}` } : {};
}

interface WireAnswer<TData> {
  data?: TData | null;
  errors?: ApiErrorItem[];
  extensions?: { warnings?: AnswerWarning[] };
}

function errorOf(item: ApiErrorItem | undefined, fallback: string): ApiError {
  const code = typeof item?.extensions?.code === 'string' ? item.extensions.code : fallback;
  return new ApiError(item?.message ?? fallback, code, item?.extensions ?? {});
}

/** Reads a wire answer: data (with any errors beside it), or an ApiError when there is none. */
function answerOf<TData>(wire: WireAnswer<TData>, status: number): Answer<TData> {
  const errors = wire.errors ?? [];
  const unauthenticated = errors.find((e) => e.extensions?.code === 'UNAUTHENTICATED');
  if (unauthenticated) throw errorOf(unauthenticated, 'UNAUTHENTICATED');
  if (wire.data === null || wire.data === undefined) throw errorOf(errors[0], `HTTP_${status}`);
  return { data: wire.data, errors, warnings: wire.extensions?.warnings ?? [] };
}

/** Sends one typed operation (query or mutation) over HTTP POST. */
export async function request<TData, TVariables>(document: TypedDocumentString<TData, TVariables>, variables: TVariables): Promise<Answer<TData>> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...authHeaders() },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    throw new ApiError('The API cannot be reached: is the server running?', 'NETWORK');
  }
  let wire: WireAnswer<TData>;
  try {
    wire = (await response.json()) as WireAnswer<TData>;
  } catch {
    throw new ApiError(`The API answered HTTP ${response.status} without a GraphQL answer.`, `HTTP_${response.status}`);
  }
  return answerOf(wire, response.status);
}

/** What `POST /uploads` answers: the list kept an hour, and its check. */
export interface Upload<TValidation> {
  readonly uploadId: string;
  readonly expiresAt: string;
  readonly validation: TValidation;
}

/** Sends a CSV file to `POST /uploads` as it is on disk (streamed by the browser), to be checked and kept. */
export async function upload<TValidation>(file: Blob, vendor: string, defaultCountry: string): Promise<Upload<TValidation>> {
  let response: Response;
  try {
    response = await fetch(`/uploads?${new URLSearchParams({ vendor: vendor.toLowerCase(), defaultCountry })}`, {
      method: 'POST',
      // The CSRF header, like GraphiQL's: a form of another site cannot send it.
      headers: { 'content-type': 'text/csv', 'x-graphql-yoga-csrf': 'dashboard', ...authHeaders() },
      body: file,
    });
  } catch {
    throw new ApiError('The API cannot be reached: is the server running?', 'NETWORK');
  }
  let body: Partial<Upload<TValidation>> & { errors?: ApiErrorItem[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(`The upload was answered HTTP ${response.status} without an explanation.`, `HTTP_${response.status}`);
  }
  if (!response.ok || !body.uploadId) throw errorOf(body.errors?.[0], `HTTP_${response.status}`);
  return body as Upload<TValidation>;
}

/**
 * Downloads a file of the API (a results CSV) with the caller's token, and saves it under the name
 * the API gives; a refusal comes back as the API's error.
 */
export async function download(path: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, { headers: authHeaders() });
  } catch {
    throw new ApiError('The API cannot be reached: is the server running?', 'NETWORK');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { errors?: ApiErrorItem[] };
    throw errorOf(body.errors?.[0], `HTTP_${response.status}`);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'results.csv';
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A key for one create: the same input keeps its key, so a second click (or a retry) creates nothing more. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

let client: Client | null = null;

/** Streams open with the old token end; the next subscription opens with the new one. */
function resetSubscriptions(): void {
  client?.dispose();
  client = null;
}

function subscriptions(): Client {
  // Distinct connections mode: one SSE stream per subscription, as yoga serves them. The page
  // opens at most two at a time, well under a browser's six connections per origin.
  client ??= createClient({ url: GRAPHQL_PATH, headers: authHeaders, retryAttempts: 8 });
  return client;
}

export interface SubscriptionSink<TData> {
  next(answer: Answer<TData>): void;
  error(error: ApiError): void;
  /** The stream ended (every watched batch reached its end). */
  complete?(): void;
}

/** Starts a typed subscription over GraphQL over SSE; the returned function ends it. */
export function subscribe<TData, TVariables>(document: TypedDocumentString<TData, TVariables>, variables: TVariables, sink: SubscriptionSink<TData>): () => void {
  return subscriptions().subscribe<TData>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (wire) => {
        try {
          sink.next(answerOf(wire as WireAnswer<TData>, 200));
        } catch (error) {
          sink.error(error as ApiError);
        }
      },
      error: (error: unknown) => sink.error(streamError(error)),
      complete: () => sink.complete?.(),
    },
  );
}

function streamError(error: unknown): ApiError {
  if (Array.isArray(error)) return errorOf(error[0] as ApiErrorItem, 'SUBSCRIPTION_FAILED');
  const status = error instanceof NetworkError ? (error as NetworkError<Response>).response?.status : undefined;
  if (status !== undefined) return new ApiError(`Live updates were refused (HTTP ${status}).`, status === 401 ? 'UNAUTHENTICATED' : `HTTP_${status}`);
  return new ApiError('Live updates are interrupted: the API cannot be reached.', 'NETWORK');
}
