import type { GraphQLError, GraphQLSchema } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { maskError } from './app-errors.js';
import { createContext, type Context } from './context.js';
import type { DataWarning } from './domain/model.js';
import { silentLogger, type Logger } from './logger.js';
import { useRequestBodyLimit } from './request-body-limit.js';
import { buildSchema, buildSubgraphSchema } from './schema/index.js';
import type { VendorRegistry } from './vendors/vendor-registry.js';

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
        progress { completed notReached failed completedFraction }
        canPause
        canResume
      }
    }
    pageInfo { hasNextPage endCursor }
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
  readonly vendors: VendorRegistry;
  readonly logger?: Logger;
  /** Deadline of each request's vendor work. @default 25000 */
  readonly requestDeadlineMs?: number;
}

/**
 * Ends each request's deadline timer, reports data a field had to leave out (partial results),
 * and warns of data served older than usual because a vendor is failing (`extensions.warnings`).
 */
const requestLifecycle: Plugin<Context> = {
  onExecute() {
    return {
      onExecuteDone({ args, result, setResult }) {
        const context = args.contextValue as Context;
        context.deadline.dispose();
        if (Symbol.asyncIterator in result) return;
        const { partialErrors, warnings } = context;
        if (partialErrors.length === 0 && warnings.length === 0) return;
        const errors: readonly unknown[] = result.errors ?? [];
        setResult({
          ...result,
          ...(partialErrors.length > 0 ? { errors: [...errors, ...partialErrors] as GraphQLError[] } : {}),
          ...(warnings.length > 0 ? { extensions: { ...result.extensions, warnings: warnings.map(toClientWarning) } } : {}),
        });
      },
    };
  },
};

function toClientWarning(warning: DataWarning) {
  const fetchedAt = new Date(warning.fetchedAt);
  return {
    code: warning.code,
    message: warning.message,
    vendor: warning.vendor,
    reason: warning.reason,
    fetchedAt: fetchedAt.toISOString(),
    ageSeconds: Math.max(0, Math.round((Date.now() - warning.fetchedAt) / 1000)),
  };
}

export function createApp(options: AppOptions): YogaServerInstance<Record<string, unknown>, Context> {
  const logger = options.logger ?? silentLogger;
  return createYoga<Record<string, unknown>, Context>({
    schema: subgraphSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    context: ({ request }) => createContext(options.vendors, options.requestDeadlineMs ?? 25_000, () => request.signal),
    plugins: [requestLifecycle, useRequestBodyLimit()],
    maxRequestBodySize: false,
    maskedErrors: { maskError, isDev: false },
    graphiql: { title: 'outbound-graph', defaultQuery: EXAMPLE_QUERY },
    // GraphiQL's assets are served from this package, not a CDN: it works offline. They are 9 MB
    // of text (~45 MB of memory once loaded), so they load with the first GraphiQL page, not at start.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    landingPage: false,
    logging: {
      debug: () => {},
      info: (...args: unknown[]) => logger.info(args.map(String).join(' ')),
      warn: (...args: unknown[]) => logger.warn(args.map(String).join(' ')),
      error: (...args: unknown[]) => logger.error(args.map((a) => (a instanceof Error ? a.name : String(a))).join(' ')),
    },
  });
}
