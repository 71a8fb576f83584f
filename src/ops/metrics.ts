import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheOutcome } from '../cache/shared-reads.js';
import type { Vendor } from '../domain/model.js';
import type { VendorCallObserver, VendorHealth } from '../http/settings.js';


const PREFIX = 'outbound_graph_';
/** Operation names come from clients: only this many distinct ones become label values. */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const BREAKER_LEVEL = { closed: 0, 'half-open': 1, open: 2 } as const;

/** What is known of an answered request, for its metrics (the server's request record is one). */
export interface OperationOutcome {
  readonly operationName: string | null;
  readonly operationType: 'query' | 'mutation' | 'subscription' | null;
  /** `extensions.code` of each error in the answer. */
  readonly errorCodes: readonly string[];
}

/**
 * Prometheus metrics of one server (prom-client), on a registry of its own so several servers
 * in one process (tests) never mix. Vendor gauges are read from the clients at scrape time.
 */
export class ServiceMetrics implements VendorCallObserver {
  readonly registry = new Registry();
  private readonly operations: Counter<'operation' | 'type'>;
  private readonly operationSeconds: Histogram<'operation' | 'type'>;
  private readonly operationErrors: Counter<'operation' | 'code'>;
  private readonly shed: Counter;
  private readonly inflight: Gauge;
  private readonly vendorRequests: Counter<'vendor' | 'method' | 'status'>;
  private readonly vendorSeconds: Histogram<'vendor' | 'method'>;
  private readonly vendorRetries: Counter<'vendor'>;
  private readonly cacheLookups: Counter<'vendor' | 'outcome'>;
  private readonly polls: Counter<'vendor'>;
  private readonly rejections: Counter;
  private readonly knownNames = new Set<string>();

  /** Batches watched by subscriptions now (slots of MAX_SUBSCRIPTIONS); set once the watchers exist. */
  watchedBatches: () => number = () => 0;

  /** `fleetShared`: with Redis, whether this replica shares the fleet's budgets and pollers now; null without Redis. */
  constructor(health: () => readonly VendorHealth[], fleetShared: (() => boolean) | null = null) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    this.operations = new Counter({ name: `${PREFIX}graphql_operations_total`, help: 'GraphQL operations answered, by operation name and type.', labelNames: ['operation', 'type'], registers });
    this.operationSeconds = new Histogram({
      name: `${PREFIX}graphql_operation_duration_seconds`,
      help: 'Time from request to answer of GraphQL operations.',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25],
      registers,
    });
    this.operationErrors = new Counter({ name: `${PREFIX}graphql_errors_total`, help: 'Errors in GraphQL answers, by operation name and extensions.code.', labelNames: ['operation', 'code'], registers });
    this.shed = new Counter({ name: `${PREFIX}requests_shed_total`, help: 'Requests refused with 503 because MAX_INFLIGHT_OPERATIONS were running.', registers });
    this.inflight = new Gauge({ name: `${PREFIX}inflight_operations`, help: 'GraphQL requests being answered now.', registers });
    this.vendorRequests = new Counter({ name: `${PREFIX}vendor_requests_total`, help: 'HTTP exchanges with vendors, by status (`error` when no answer came).', labelNames: ['vendor', 'method', 'status'], registers });
    this.vendorSeconds = new Histogram({
      name: `${PREFIX}vendor_request_duration_seconds`,
      help: 'Duration of HTTP exchanges with vendors (each attempt).',
      labelNames: ['vendor', 'method'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.vendorRetries = new Counter({ name: `${PREFIX}vendor_retries_total`, help: 'Vendor calls tried again after a failed attempt.', labelNames: ['vendor'], registers });
    this.cacheLookups = new Counter({
      name: `${PREFIX}cache_lookups_total`,
      help: 'Vendor reads by how they were served: hit (cache), joined (a call in flight), miss (new call), stale (older answer while the vendor fails), bypass (fresh read for a write).',
      labelNames: ['vendor', 'outcome'],
      registers,
    });
    this.polls = new Counter({
      name: `${PREFIX}live_polls_total`,
      help: 'Polls of watched batches made by this process (in a fleet, only by the replica holding a batch\'s lease).',
      labelNames: ['vendor'],
      registers,
    });
    this.rejections = new Counter({
      name: `${PREFIX}unhandled_rejections_total`,
      help: 'Promises rejected with nobody awaiting them: each is a bug, logged with its request id; the process serves on.',
      registers,
    });
    const watched = () => this.watchedBatches();
    new Gauge({
      name: `${PREFIX}subscription_slots_held`,
      help: 'Batches watched by subscriptions now, one slot each (of MAX_SUBSCRIPTIONS).',
      registers,
      collect() {
        this.set(watched());
      },
    });
    new Gauge({
      name: `${PREFIX}vendor_breaker_state`,
      help: 'Circuit breaker per vendor: 0 closed, 1 half-open, 2 open.',
      labelNames: ['vendor'],
      registers,
      collect() {
        for (const vendor of health()) this.set({ vendor: vendor.vendor }, BREAKER_LEVEL[vendor.breaker]);
      },
    });
    if (fleetShared) {
      new Gauge({
        name: `${PREFIX}fleet_shared`,
        help: '1 while this replica shares the vendor budgets, poll leases and live events through Redis; 0 while it runs alone on its share (FLEET_SIZE_HINT).',
        registers,
        collect() {
          this.set(fleetShared() ? 1 : 0);
        },
      });
    }
    new Gauge({
      name: `${PREFIX}vendor_rate_limit_waiting`,
      help: 'Vendor calls waiting for a slot of the vendor rate limit.',
      labelNames: ['vendor'],
      registers,
      collect() {
        for (const vendor of health()) this.set({ vendor: vendor.vendor }, vendor.rateLimitWaiting);
      },
    });
  }

  unhandledRejection(): void {
    this.rejections.inc();
  }

  polled(vendor: Vendor): void {
    this.polls.inc({ vendor });
  }

  exchanged(vendor: Vendor, method: string, outcome: number | 'error', seconds: number): void {
    this.vendorRequests.inc({ vendor, method, status: String(outcome) });
    this.vendorSeconds.observe({ vendor, method }, seconds);
  }

  retried(vendor: Vendor): void {
    this.vendorRetries.inc({ vendor });
  }

  cacheLookup(vendor: Vendor, outcome: CacheOutcome): void {
    this.cacheLookups.inc({ vendor, outcome });
  }

  operationStarted(): void {
    this.inflight.inc();
  }

  /** A GraphQL request was answered (or refused). */
  operationDone(record: OperationOutcome, seconds: number): void {
    this.inflight.dec();
    // A GraphiQL page or a preflight: no operation, nothing refused.
    if (record.operationType === null && record.errorCodes.length === 0) return;
    const operation = this.operationLabel(record.operationName);
    const type = record.operationType ?? 'none';
    this.operations.inc({ operation, type });
    this.operationSeconds.observe({ operation, type }, seconds);
    for (const code of record.errorCodes) this.operationErrors.inc({ operation, code });
  }

  requestShed(): void {
    this.shed.inc();
  }

  private operationLabel(name: string | null): string {
    if (name === null) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.knownNames.has(name)) return name;
    if (this.knownNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.knownNames.add(name);
    return name;
  }
}
