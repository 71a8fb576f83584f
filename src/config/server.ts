import { z } from 'zod';
import { boolean, integer, optionalBoolean, optionalString } from '../env.js';
import type { LogLevel } from '../logger.js';
import type { AuthSettings, BrowserSettings } from '../security/settings.js';
import { commaList, httpUrl, isHttpOrigin, secret } from './fields.js';

/** The HTTP server: where it listens, who may call, what it serves to browsers, metrics and logs (see "Running in production"). */

/** The HTTP server itself: what it exposes and how long it waits for slow clients. */
export interface ServerSettings {
  /** `__schema`/`__type` answered. @default true, false when NODE_ENV=production */
  readonly introspection: boolean;
  /** GraphiQL served to browsers at /graphql. @default true in demo mode without caller auth, else false */
  readonly graphiql: boolean;
  /** The live dashboard served to browsers at `/`. @default true, false when NODE_ENV=production */
  readonly dashboard: boolean;
  /** A client has this long to send its request headers. @default 10000 */
  readonly headersTimeoutMs: number;
  /** A client has this long to send its whole request. @default 30000 */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. @default 5000 */
  readonly keepAliveTimeoutMs: number;
  /** A results export (`GET /batches/{id}/results.csv`) has this long to be written: a slow reader holds its rows in memory. @default 600000 */
  readonly exportTimeoutMs: number;
  /** A query or mutation document runs compiled (graphql-jit) from this execution of it on; 0 never. @default 10 */
  readonly compileAtRun: number;
  /** Where clients reach this API (behind a gateway or proxy): links it gives, such as `Batch.resultsCsvUrl`, start with it. Null: links are paths on the API's own origin. */
  readonly publicUrl: string | null;
}

export interface ObservabilitySettings {
  /** @default info */
  readonly logLevel: LogLevel;
  /** Serve /metrics on this port instead of the API's (bound to METRICS_HOST); null = the API's port. */
  readonly metricsPort: number | null;
  /** @default the API's HOST */
  readonly metricsHost: string;
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  readonly metricsToken: string | null;
  /**
   * Where /metrics answers: on its own listener (METRICS_PORT), on the API's port behind
   * METRICS_TOKEN, open on the API's port in demo mode without caller auth, or nowhere (vendor keys
   * or caller auth set and neither METRICS_PORT nor METRICS_TOKEN).
   */
  readonly metricsExposure: 'own-port' | 'token' | 'open' | 'off';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const serverEnv = z.object({
  NODE_ENV: optionalString,
  LOG_LEVEL: optionalString.transform((v) => v ?? 'info').pipe(z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })),
  AUTH_JWT_SECRET: secret('AUTH_JWT_SECRET', 32),
  AUTH_JWKS_URL: httpUrl('AUTH_JWKS_URL'),
  AUTH_ISSUER: optionalString,
  AUTH_AUDIENCE: optionalString,
  AUTH_CLOCK_TOLERANCE_SECONDS: integer('AUTH_CLOCK_TOLERANCE_SECONDS', 30, 0, 3600),
  AUTH_DISABLED: boolean('AUTH_DISABLED', false),
  ROUTER_SECRET: secret('ROUTER_SECRET', 16),
  CORS_ORIGINS: commaList
    .transform((origins) => origins.map((o) => o.replace(/\/+$/, '')))
    .refine((origins) => origins.every((o) => o === '*' || isHttpOrigin(o)), 'CORS_ORIGINS must be `*` or a comma-separated list of origins such as https://dashboard.example.com'),
  INTROSPECTION: optionalBoolean('INTROSPECTION'),
  GRAPHIQL: optionalBoolean('GRAPHIQL'),
  DASHBOARD: optionalBoolean('DASHBOARD'),
  HTTP_HEADERS_TIMEOUT_MS: integer('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
  HTTP_REQUEST_TIMEOUT_MS: integer('HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
  PUBLIC_URL: httpUrl('PUBLIC_URL'),
  EXPORT_TIMEOUT_MS: integer('EXPORT_TIMEOUT_MS', 600_000, 100, 3_600_000),
  GRAPHQL_COMPILE_AT_RUN: integer('GRAPHQL_COMPILE_AT_RUN', 10, 0, 1_000_000),
  METRICS_PORT: optionalString.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) <= 65535), 'METRICS_PORT must be a port number (0 picks a free one)'),
  METRICS_HOST: optionalString,
  METRICS_TOKEN: secret('METRICS_TOKEN', 16),
  HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
  PORT: integer('PORT', 4000, 0, 65535),
  SHUTDOWN_GRACE_MS: integer('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
});

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly auth: AuthSettings;
  readonly browser: BrowserSettings;
  readonly server: ServerSettings;
  readonly observability: ObservabilitySettings;
  /** On SIGTERM/SIGINT, requests in flight may finish for this long before connections are cut. @default 10000 */
  readonly shutdownGraceMs: number;
}

/** The server's settings; what is allowed depends on whether vendor keys are set (`demo` when none). */
export function serverConfig(e: z.output<typeof serverEnv>, demo: boolean, problems: string[], warnings: string[]): ServerConfig {
  const production = e.NODE_ENV === 'production';
  const authConfigured = Boolean(e.AUTH_JWT_SECRET || e.AUTH_JWKS_URL);
  if (e.AUTH_JWT_SECRET && e.AUTH_JWKS_URL) problems.push('Set AUTH_JWT_SECRET or AUTH_JWKS_URL, not both.');
  if (!demo && !authConfigured && !e.AUTH_DISABLED) {
    problems.push(
      'Vendor credentials are set but caller authentication is not: set AUTH_JWT_SECRET or AUTH_JWKS_URL (see "Running in production" in the README), or AUTH_DISABLED=true to run without it.',
    );
  }
  if (e.CORS_ORIGINS.includes('*') && e.CORS_ORIGINS.length > 1) problems.push('CORS_ORIGINS is `*` or a list of origins, not both.');
  if (e.AUTH_DISABLED) warnings.push('AUTH_DISABLED=true: anyone who can reach this server may read and change every batch.');
  return {
    host: e.HOST,
    port: e.PORT,
    auth: {
      enabled: authConfigured && !e.AUTH_DISABLED,
      jwtSecret: e.AUTH_JWT_SECRET ?? null,
      jwksUrl: e.AUTH_JWKS_URL ?? null,
      issuer: e.AUTH_ISSUER ?? null,
      audience: e.AUTH_AUDIENCE ?? null,
      clockToleranceSeconds: e.AUTH_CLOCK_TOLERANCE_SECONDS,
      routerSecret: e.ROUTER_SECRET ?? null,
    },
    browser: { corsOrigins: e.CORS_ORIGINS },
    server: {
      introspection: e.INTROSPECTION ?? !production,
      // Off wherever it would face real data or real callers: the page is 9 MB a load.
      graphiql: e.GRAPHIQL ?? (!production && demo && !authConfigured),
      dashboard: e.DASHBOARD ?? !production,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      exportTimeoutMs: e.EXPORT_TIMEOUT_MS,
      compileAtRun: e.GRAPHQL_COMPILE_AT_RUN,
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    },
    observability: {
      logLevel: e.LOG_LEVEL,
      metricsPort: e.METRICS_PORT === undefined ? null : Number(e.METRICS_PORT),
      metricsHost: e.METRICS_HOST ?? e.HOST,
      metricsToken: e.METRICS_TOKEN ?? null,
      metricsExposure: e.METRICS_PORT !== undefined ? 'own-port' : e.METRICS_TOKEN ? 'token' : demo && !authConfigured ? 'open' : 'off',
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
  };
}
