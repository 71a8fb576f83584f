import { z } from 'zod';
import { integer } from '../env.js';
import type { LimitSettings } from '../security/settings.js';

/** What one request, one caller and one connection may cost (see "What a request may cost"). */

export const limitsEnv = z.object({
  MAX_REQUEST_BODY_BYTES: integer('MAX_REQUEST_BODY_BYTES', 2_000_000, 1024, 100_000_000),
  MAX_DEPTH: integer('MAX_DEPTH', 9, 2, 100),
  MAX_INTROSPECTION_DEPTH: integer('MAX_INTROSPECTION_DEPTH', 20, 2, 100),
  MAX_ALIASES: integer('MAX_ALIASES', 15, 1, 1000),
  MAX_DIRECTIVES: integer('MAX_DIRECTIVES', 50, 1, 1000),
  MAX_TOKENS: integer('MAX_TOKENS', 1000, 10, 100_000),
  MAX_CHARACTERS: integer('MAX_CHARACTERS', 15_000, 100, 1_000_000),
  MAX_COST: integer('MAX_COST', 5000, 1, 10_000_000),
  MAX_VENDOR_CALLS_PER_OPERATION: integer('MAX_VENDOR_CALLS_PER_OPERATION', 50, 1, 100_000),
  MAX_NODE_IDS: integer('MAX_NODE_IDS', 100, 1, 10_000),
  MAX_ENTITY_REPRESENTATIONS: integer('MAX_ENTITY_REPRESENTATIONS', 500, 1, 100_000),
  MAX_INFLIGHT_OPERATIONS: integer('MAX_INFLIGHT_OPERATIONS', 256, 1, 100_000),
  MAX_WS_CONNECTIONS: integer('MAX_WS_CONNECTIONS', 2_000, 1, 1_000_000),
  CALLER_VENDOR_BUDGET_PERCENT: integer('CALLER_VENDOR_BUDGET_PERCENT', 25, 1, 100),
});

export function limitSettings(e: z.output<typeof limitsEnv>): LimitSettings {
  return {
    maxRequestBodyBytes: e.MAX_REQUEST_BODY_BYTES,
    maxDepth: e.MAX_DEPTH,
    maxIntrospectionDepth: e.MAX_INTROSPECTION_DEPTH,
    maxAliases: e.MAX_ALIASES,
    maxDirectives: e.MAX_DIRECTIVES,
    maxTokens: e.MAX_TOKENS,
    maxCharacters: e.MAX_CHARACTERS,
    maxCost: e.MAX_COST,
    maxVendorCallsPerOperation: e.MAX_VENDOR_CALLS_PER_OPERATION,
    maxNodeIds: e.MAX_NODE_IDS,
    maxEntityRepresentations: e.MAX_ENTITY_REPRESENTATIONS,
    maxInflightOperations: e.MAX_INFLIGHT_OPERATIONS,
    maxWsConnections: e.MAX_WS_CONNECTIONS,
    callerVendorBudgetPercent: e.CALLER_VENDOR_BUDGET_PERCENT,
  };
}
