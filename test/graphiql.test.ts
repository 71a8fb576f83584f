import type { HTTPRequest } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { chromiumPerDescribe } from './helpers/chromium-per-describe.js';
import { dataOf, harnessPerDescribe } from './helpers/harness.js';
import { mintToken, TEST_JWT_SECRET } from './helpers/tokens.js';

/**
 * GraphiQL where callers need tokens: off by default; with GRAPHIQL=true the page itself needs a
 * token, asked for by a small sign-in page, and GraphiQL then sends it with every request.
 */

describe('GraphiQL by default', () => {
  it('is on in demo mode without caller auth, and off with caller auth or vendor keys', () => {
    expect(loadConfig({}).server.graphiql).toBe(true);
    expect(loadConfig({ AUTH_JWT_SECRET: TEST_JWT_SECRET }).server.graphiql).toBe(false);
    expect(loadConfig({ SYLLABLE_API_KEY: 'k', AUTH_DISABLED: 'true' }).server.graphiql).toBe(false);
    expect(loadConfig({ AUTH_JWT_SECRET: TEST_JWT_SECRET, GRAPHIQL: 'true' }).server.graphiql).toBe(true);
  });
});

describe('GraphiQL behind tokens', () => {
  const t = harnessPerDescribe({ env: { AUTH_JWT_SECRET: TEST_JWT_SECRET, GRAPHIQL: 'true' } });

  it('without a token a browser gets the small sign-in page; a token loads GraphiQL; a bad one is a 401', async () => {
    const signIn = await fetch(t.h.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(signIn.status).toBe(200);
    const html = await signIn.text();
    expect(html).toMatch(/Open GraphiQL/);
    expect(html.length).toBeLessThan(10_000);
    const token = await mintToken({ scope: 'batches:read' });
    const page = await fetch(t.h.graphqlUrl, { headers: { accept: 'text/html', authorization: `Bearer ${token}` } });
    expect(page.status).toBe(200);
    const graphiql = await page.text();
    expect(graphiql.length).toBeGreaterThan(1_000_000);
    // The sign-in page puts the token where this stands, in GraphiQL's headers.
    expect(graphiql).toContain('__OUTBOUND_GRAPH_TOKEN__');
    const refused = await fetch(t.h.graphqlUrl, { headers: { accept: 'text/html', authorization: 'Bearer not.a.token' } });
    expect(refused.status).toBe(401);
    expect(await t.h.totalCalls()).toBe(0);
  });

  describe('in Chromium', () => {
    const chromium = chromiumPerDescribe();

    it.skipIf(!chromium.executable)('signs in with a token, then GraphiQL reads the schema with it', async () => {
      const context = await chromium.browser.createBrowserContext();
      const page = await context.newPage();
      const token = await mintToken({ scope: 'batches:read' });
      const sent: Array<{ authorization: string | undefined; method: string }> = [];
      page.on('request', (request: HTTPRequest) => {
        if (request.url().startsWith(t.h.graphqlUrl) && request.resourceType() !== 'document') sent.push({ authorization: request.headers().authorization, method: request.method() });
      });
      await page.goto(t.h.graphqlUrl);
      await page.waitForSelector('#token');
      await page.type('#token', 'not.a.token');
      await page.click('button[type=submit]');
      await page.waitForFunction(() => /Not signed in/.test(document.querySelector('#problem')?.textContent ?? ''));
      await page.$eval('#token', (input) => ((input as HTMLInputElement).value = ''));
      await page.type('#token', token);
      await page.click('button[type=submit]');
      await page.waitForSelector('.graphiql-container', { timeout: 20_000 });
      // GraphiQL's first request is its introspection query, sent with the token.
      for (let i = 0; i < 100 && !sent.some((r) => r.method === 'POST' && r.authorization === `Bearer ${token}`); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sent.some((r) => r.method === 'POST' && r.authorization === `Bearer ${token}`)).toBe(true);
      expect(await page.evaluate(() => sessionStorage.getItem('outbound-graph.token'))).toBe(token);
      await context.close();
    }, 60_000);
  });
});

describe('GraphiQL subscriptions in Chromium', () => {
  const t = harnessPerDescribe({ callsPerHour: 7_200, env: { POLL_INTERVAL_MS: '200' } });
  const chromium = chromiumPerDescribe();

  it.skipIf(!chromium.executable)('a subscription run in GraphiQL ticks: each event shows the batch moving', async () => {
    const listed = dataOf(await t.h.gql<{ batches: { edges: Array<{ node: { id: string; progress: { pending: number } } }> } }, Record<string, never>>('{ batches(first: 100, vendor: SYLLABLE, status: ACTIVE) { edges { node { id progress { pending } } } } }', {}));
    const id = listed.batches.edges.find((e) => e.node.progress.pending > 20)!.node.id;
    const context = await chromium.browser.createBrowserContext();
    const page = await context.newPage();
    const query = `subscription { batchProgress(id: "${id}") { batch { id progress { finished } } } }`;
    await page.goto(`${t.h.graphqlUrl}?query=${encodeURIComponent(query)}`);
    await page.waitForSelector('.graphiql-execute-button', { timeout: 20_000 });
    await page.click('.graphiql-execute-button');
    const finished = () => page.evaluate(() => {
      const text = document.querySelector('.graphiql-response')?.textContent?.replace(/\s+/g, '') ?? '';
      const match = /"finished":(\d+)/.exec(text);
      return match ? Number(match[1]) : null;
    });
    let first: number | null = null;
    for (let i = 0; i < 100 && first === null; i += 1) {
      first = await finished();
      if (first === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(first, await page.evaluate(() => document.querySelector('.graphiql-response')?.textContent ?? '')).not.toBeNull();
    let later = first;
    for (let i = 0; i < 150 && later === first; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      later = await finished();
    }
    expect(later).toBeGreaterThan(first!);
    await context.close();
  }, 60_000);
});
