import type { HistorySettings } from './progress-history.js';

/** Live progress of this process: how watched batches are polled, how many may be watched, and their history. */
export interface LiveSettings {
  /** Poll interval of a watched batch while it changes. @default 5000 */
  readonly pollIntervalMs: number;
  /** A watched batch that does not change is polled ever less often, down to this. @default 60000 */
  readonly pollMaxIntervalMs: number;
  /** Share of a vendor's rate limit (`*_RATE_LIMIT_PER_MINUTE`) polls may use. @default 50 */
  readonly pollBudgetPercent: number;
  /** Batches all subscriptions of this process watch at most. @default 10000 */
  readonly maxSubscriptions: number;
  /** Subscriptions one WebSocket connection holds at most. @default 50 */
  readonly maxSubscriptionsPerConnection: number;
  /** Batches one caller (token subject, else client address) watches at most. @default 1000 */
  readonly maxSubscriptionsPerCaller: number;
  /** Progress snapshots: per batch, batches, and age. */
  readonly history: HistorySettings;
}
