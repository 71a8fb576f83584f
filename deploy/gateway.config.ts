// Hive Gateway for deploy/compose.yaml. `api` resolves to the three replicas; a request whose
// replica is gone is retried on the next (queries only: the retry is for a failed connection).
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  // Above the replicas' REQUEST_DEADLINE_MS (25 s), so their answer, with its errors, comes first.
  upstreamTimeout: 30_000,
  upstreamRetry: ({ executionRequest }) => (`${executionRequest?.operationType}` === 'mutation' ? { maxRetries: 0 } : { maxRetries: 2, retryDelay: 100 }),
  propagateHeaders: {
    // The caller's token (checked again by each replica) and the router's shared secret.
    fromClientToSubgraphs: ({ request }) => ({
      authorization: request.headers.get('authorization') ?? '',
      'router-authorization': `Bearer ${process.env.ROUTER_SECRET ?? ''}`,
      traceparent: request.headers.get('traceparent') ?? '',
    }),
  },
});
