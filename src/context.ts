import type { GraphQLError } from 'graphql';
import type { DataWarning } from './domain/model.js';
import type { ListWaitSettings } from './cache/patience.js';
import { RequestDeadline } from './http/deadline.js';
import type { Caller } from './security/auth.js';
import type { CallerVendorBudgets } from './security/caller-vendor-budget.js';
import { VendorCallBudget } from './security/vendor-call-budget.js';
import { BatchStore } from './store/batch-store.js';
import type { BatchWatchers } from './live/batch-watchers.js';
import type { HistoryStore } from './live/progress-history.js';
import type { VendorRegistry } from './vendors/vendor-registry.js';

/** Everything a resolver may use; one per GraphQL request. */
export interface Context {
  /** Reads and writes of batches for this request: the only way to the vendors. */
  readonly batches: BatchStore;
  /** Who is calling and with which scopes (checked by the schema's `authScopes`). */
  readonly caller: Caller;
  /** Vendor calls this operation started, and the most it may. */
  readonly budget: VendorCallBudget;
  /** Deadline and cancellation of this request's vendor work. */
  readonly deadline: RequestDeadline;
  /** Errors of data that is missing while the rest of a field answered (one vendor of two down). */
  readonly partialErrors: GraphQLError[];
  /** Warnings about data served (older answers while a vendor fails), sent in `extensions.warnings`. */
  readonly warnings: DataWarning[];
  /** The process's watched batches (subscriptions). */
  readonly live: BatchWatchers;
  /** Observed progress of batches over time. */
  readonly history: HistoryStore;
}

export interface ContextOptions {
  readonly vendors: VendorRegistry;
  readonly caller: Caller;
  /** Vendor calls one operation may start. */
  readonly maxVendorCalls: number;
  readonly deadlineMs: number;
  /** How long a read over several vendors waits for one of them. */
  readonly listWait: ListWaitSettings;
  readonly live: BatchWatchers;
  readonly history: HistoryStore;
  /** Each caller's share of the vendors' budgets (CALLER_VENDOR_BUDGET_PERCENT); null: no share. */
  readonly callerBudgets?: CallerVendorBudgets | null;
  readonly clientSignal?: () => AbortSignal | undefined;
}

export function createContext({ vendors, caller, maxVendorCalls, deadlineMs, listWait, live, history, callerBudgets, clientSignal }: ContextOptions): Context {
  const deadline = new RequestDeadline(deadlineMs, clientSignal);
  const warnings: DataWarning[] = [];
  const budget = new VendorCallBudget(maxVendorCalls, callerBudgets ? (vendor) => callerBudgets.charge(caller.key, vendor) : null);
  const call = deadline.callContext({
    warn: (warning) => {
      // One warning per vendor and answer age is enough for a client to show.
      if (!warnings.some((w) => w.vendor === warning.vendor && w.fetchedAt === warning.fetchedAt)) warnings.push(warning);
    },
    budget,
  });
  // A change made through this API is shown to the batch's watchers at once, not at the next poll.
  const batches = new BatchStore(vendors, call, { listWait, onWrite: (key) => live.nudge(key) });
  return { batches, caller, budget, deadline, partialErrors: [], warnings, live, history };
}
