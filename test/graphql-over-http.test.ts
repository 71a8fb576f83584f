import { serverAudits } from 'graphql-http';
import { describe, expect, it } from 'vitest';
import { harnessPerDescribe } from './helpers/harness.js';

/**
 * The GraphQL-over-HTTP specification's own server audits (graphql-http): every MUST and every
 * SHOULD holds, so any spec-following client (Apollo Client, urql, Relay, graphql-request) works.
 */

describe('the GraphQL over HTTP audits', () => {
  const t = harnessPerDescribe();

  it('passes every MUST and SHOULD audit', async () => {
    const audits = serverAudits({ url: () => t.h.graphqlUrl, fetchFn: fetch });
    const failed: string[] = [];
    let required = 0;
    for (const audit of audits) {
      if (!/^(MUST|SHOULD)\b/.test(audit.name)) continue;
      required += 1;
      const result = await audit.fn();
      if (result.status !== 'ok') failed.push(`${audit.name}: ${result.reason}`);
    }
    expect(required).toBeGreaterThan(30);
    expect(failed).toEqual([]);
  });
});
