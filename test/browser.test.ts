import { describe, expect, it } from 'vitest';
import { harnessPerDescribe } from './helpers/harness.js';

/** What a page on another site can make a browser do (CSRF), and which sites may read answers (CORS). */

describe('CSRF prevention', () => {
  const t = harnessPerDescribe();
  const pause = () => `mutation { pauseBatch(id: "${t.batches.active[0]}") { __typename } }`;

  it.each([
    ['a form post', 'application/x-www-form-urlencoded', () => `query=${encodeURIComponent(pause())}`],
    ['text/plain', 'text/plain', () => JSON.stringify({ query: pause() })],
    ['multipart without the header', 'multipart/form-data; boundary=x', () => `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: pause() })}\r\n--x--\r\n`],
  ])('a mutation sent as %s is refused and reaches no vendor', async (_name, contentType, body) => {
    const response = await fetch(t.h.graphqlUrl, { method: 'POST', headers: { 'content-type': contentType, accept: 'application/json' }, body: body() });
    expect(response.status).toBe(403);
    const answer = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(answer.errors[0]!.extensions.code).toBe('CSRF_HEADER_REQUIRED');
    expect(await t.h.totalCalls()).toBe(0);
  });

  it('a GET needs the x-graphql-yoga-csrf header; JSON posts need nothing', async () => {
    const url = `${t.h.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`;
    expect((await fetch(url, { headers: { accept: 'application/json' } })).status).toBe(403);
    expect((await fetch(url, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } })).status).toBe(200);
    expect((await t.h.post({ query: '{ __typename }' })).status).toBe(200);
  });

  it('GraphiQL still opens in a browser', async () => {
    const page = await fetch(t.h.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/graphiql/i);
  });
});

const preflight = (url: string, origin: string) =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });
const crossPost = (url: string, origin: string) => fetch(url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });

describe('CORS by default: same origin only', () => {
  const t = harnessPerDescribe();

  it('another origin gets no CORS headers, so a browser withholds the answer', async () => {
    const answer = await crossPost(t.h.graphqlUrl, 'https://evil.example.test');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await preflight(t.h.graphqlUrl, 'https://evil.example.test')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS_ORIGINS lists the dashboards', () => {
  const t = harnessPerDescribe({ env: { CORS_ORIGINS: 'https://dash.example.test, https://ops.example.test' } });

  it('a listed origin is allowed with credentials; another is not', async () => {
    const listed = await preflight(t.h.graphqlUrl, 'https://ops.example.test');
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://ops.example.test');
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(listed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const post = await crossPost(t.h.graphqlUrl, 'https://dash.example.test');
    expect(post.headers.get('access-control-allow-origin')).toBe('https://dash.example.test');
    expect(post.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    const other = await crossPost(t.h.graphqlUrl, 'https://evil.example.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS_ORIGINS=*', () => {
  const t = harnessPerDescribe({ env: { CORS_ORIGINS: '*' } });

  it('any origin may read answers, never with credentials', async () => {
    const answer = await crossPost(t.h.graphqlUrl, 'https://anyone.example.test');
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://anyone.example.test');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
