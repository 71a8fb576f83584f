import type { DocumentNode, GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { describeError, isClientError, maskError } from './errors.js';
import type { Context } from '../schema/builder.js';
import { OperationStore, type StoreSources } from '../store/operation-store.js';
import { useOperationLifecycle } from './operation-lifecycle.js';
import { useCompiledExecution } from './compiled-execution.js';
import { silentLogger, type Logger } from '../logger.js';
import { answerFinish, useAnswerFinish, useCallerAuthentication, useOperationPlan, useRequestRecord } from './plugins.js';
import type { RequestRecord } from './request-record.js';
import type { Authenticator } from '../security/auth.js';
import { operationLimitPlugins } from '../security/operation-limits.js';
import { useRequestParsingGuards } from '../security/request-parsing.js';
import type { BrowserSettings, LimitSettings } from '../security/settings.js';
import { buildSchema, buildSubgraphSchema } from '../schema/index.js';

export const GRAPHQL_PATH = '/graphql';

/** Opens in GraphiQL; it works on the demo data. */
export const EXAMPLE_QUERY = `# Batches of both vendors, newest first, with their progress.
query Dashboard {
  batches(first: 10) {
    totalCount
    edges {
      node {
        id
        vendor
        status
        vendorStatus
        fileName
        createdAt
        totalCount
        progress { completed notReached failed finishedFraction }
        canPause
        canResume
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** GraphiQL's first document: the dashboard, and a live watch of one of its batches. */
export const GRAPHIQL_DOCUMENT = `${EXAMPLE_QUERY}
# Then watch one live: copy an id from the answer into Variables as {"id": "..."} and run Watch.
# In demo mode running batches place calls as time passes, so an ACTIVE batch ticks every few seconds.
subscription Watch($id: ID!) {
  batchProgress(id: $id) {
    changed
    at
    batch { id status progress { pending finished finishedFraction } eta { finishesAt callsPerHour expiresBeforeFinish } }
  }
}
`;

let publicSchema: GraphQLSchema | undefined;
let servedSchema: GraphQLSchema | undefined;

/** The public contract (printed to schema/schema.graphql). Schemas are pure: built once per process. */
export function schema(): GraphQLSchema {
  publicSchema ??= buildSchema();
  return publicSchema;
}

/** What the server runs: the public schema plus the federation fields (printed to schema/subgraph.graphql). */
export function subgraphSchema(): GraphQLSchema {
  servedSchema ??= buildSubgraphSchema();
  return servedSchema;
}

export interface AppOptions {
  /** What every operation's store draws on (vendors, watchers, history, limits). */
  readonly store: StoreSources;
  readonly logger?: Logger;
  readonly authenticator: Authenticator;
  readonly limits: LimitSettings;
  readonly browser: BrowserSettings;
  readonly introspection: boolean;
  /** GRAPHQL_COMPILE_AT_RUN: the execution of a document from which it runs compiled; 0 never. @default 10 */
  readonly compileAtRun?: number;
}

/** What the HTTP front hands yoga with each request. */
export interface ServerContext {
  readonly record: RequestRecord;
}

/** Characters of operation text whose parse results are kept: about 12 MB of syntax trees (measured in the fuzz test), hundreds of dashboard operations. */
const PARSE_CACHE_MAX_CHARACTERS = 200_000;

function textSizedCache<V extends object>() {
  return new LRUCache<string, V>({ maxSize: PARSE_CACHE_MAX_CHARACTERS, sizeCalculation: (_value, key) => Math.max(1, key.length), ttl: 3_600_000 });
}

/** Any one of these on a request proves it is not a form or a plain GET sent by another site's page. */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'router-authorization'];

/** Headers a browser page may send cross-origin (CORS preflight). */
const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'accept', 'x-request-id', 'traceparent', 'x-graphql-yoga-csrf', 'apollo-require-preflight'];

/** CORS from CORS_ORIGINS: listed origins get credentials; `*` any origin without; none = same origin only. */
export function corsFor(browser: BrowserSettings) {
  const any = browser.corsOrigins.includes('*');
  const listed = new Set(browser.corsOrigins);
  return (request: { readonly headers: Pick<Headers, 'get'> }) => {
    const origin = request.headers.get('origin');
    if (origin === null || (!any && !listed.has(origin))) return false as const;
    return {
      origin,
      credentials: !any,
      methods: ['GET', 'POST'],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    };
  };
}

export function createApp(options: AppOptions): YogaServerInstance<ServerContext, Context> {
  const logger = options.logger ?? silentLogger;
  return createYoga<ServerContext, Context>({
    schema: subgraphSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    // A store per operation; the caller is set by useCallerAuthentication before any operation is parsed.
    context: ({ record }): Context => ({ store: new OperationStore(options.store, record.caller!, record.clientLeft.signal), caller: record.caller! }),
    plugins: [
      useCompiledExecution({ logger, compileAtRun: options.compileAtRun }),
      useRequestRecord(),
      // Form posts, text/plain and GETs without a custom header could come from another site's
      // page; a page cannot add a header without a CORS preflight, so any of these proves the
      // sender is not one: GraphiQL sends x-graphql-yoga-csrf, Apollo Client apollo-require-preflight,
      // and the federation router its router-authorization (checked as a secret besides).
      useCSRFPrevention({ requestHeaders: CSRF_HEADERS }),
      useRequestParsingGuards(options.limits.maxRequestBodyBytes),
      useCallerAuthentication(options.authenticator),
      ...operationLimitPlugins({ limits: options.limits, introspection: options.introspection }),
      useOperationPlan(options.limits),
      useOperationLifecycle(),
      useAnswerFinish(answerFinish(options.introspection)),
    ],
    maxRequestBodySize: false,
    // Parsed documents are kept by the size of their text, not their number: yoga's default of
    // 1,000 documents grew the heap by 150 MB under the fuzz test and kept growing.
    parserAndValidationCache: { documentCache: textSizedCache<DocumentNode>(), errorCache: textSizedCache<object>() },
    batching: false,
    cors: corsFor(options.browser),
    maskedErrors: { maskError, isDev: false },
    // GraphiQL is served by the HTTP front from memory (src/ops/graphiql-page.ts), not rendered per load.
    graphiql: false,
    landingPage: false,
    logging: {
      debug: () => {},
      info: (...args: unknown[]) => logger.info(args.map(String).join(' ')),
      warn: (...args: unknown[]) => logger.warn(args.map(String).join(' ')),
      // yoga logs here each error it masks, our typed client errors included: those are the
      // client's to read (debug), the rest are the server's fault (error).
      error: (...args: unknown[]) => {
        for (const arg of args) {
          if (isClientError(arg)) logger.debug({ error: describeError(arg) }, 'client error');
          else logger.error({ error: describeError(arg) }, 'unexpected error');
        }
      },
    },
  });
}
