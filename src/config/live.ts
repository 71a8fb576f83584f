import { z } from 'zod';
import { integer, optionalString } from '../env.js';
import type { LiveSettings } from '../live/settings.js';

/** Live progress: polls of watched batches, subscription slots, progress history and Bolna's webhooks (see "Live progress"). */

export const liveEnv = z.object({
  POLL_INTERVAL_MS: integer('POLL_INTERVAL_MS', 5_000, 50, 3_600_000),
  POLL_MAX_INTERVAL_MS: integer('POLL_MAX_INTERVAL_MS', 60_000, 50, 86_400_000),
  POLL_BUDGET_PERCENT: integer('POLL_BUDGET_PERCENT', 50, 1, 100),
  MAX_SUBSCRIPTIONS: integer('MAX_SUBSCRIPTIONS', 10_000, 0, 10_000_000),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: integer('MAX_SUBSCRIPTIONS_PER_CONNECTION', 50, 1, 100_000),
  MAX_SUBSCRIPTIONS_PER_CALLER: integer('MAX_SUBSCRIPTIONS_PER_CALLER', 1_000, 1, 10_000_000),
  HISTORY_PER_BATCH: integer('HISTORY_PER_BATCH', 1_000, 1, 1_000_000),
  HISTORY_BATCHES: integer('HISTORY_BATCHES', 10_000, 1, 10_000_000),
  HISTORY_MAX_AGE_MS: integer('HISTORY_MAX_AGE_MS', 7 * 86_400_000, 1_000, 365 * 86_400_000),
  BOLNA_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, 'BOLNA_WEBHOOK_SECRET must be at least 16 characters'),
});

export function liveSettings(e: z.output<typeof liveEnv>): { live: LiveSettings; bolnaWebhookSecret: string | null } {
  return {
    live: {
      pollIntervalMs: e.POLL_INTERVAL_MS,
      pollMaxIntervalMs: Math.max(e.POLL_INTERVAL_MS, e.POLL_MAX_INTERVAL_MS),
      pollBudgetPercent: e.POLL_BUDGET_PERCENT,
      maxSubscriptions: e.MAX_SUBSCRIPTIONS,
      maxSubscriptionsPerConnection: e.MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxSubscriptionsPerCaller: e.MAX_SUBSCRIPTIONS_PER_CALLER,
      history: { perBatch: e.HISTORY_PER_BATCH, batches: e.HISTORY_BATCHES, maxAgeMs: e.HISTORY_MAX_AGE_MS },
    },
    bolnaWebhookSecret: e.BOLNA_WEBHOOK_SECRET ?? null,
  };
}
