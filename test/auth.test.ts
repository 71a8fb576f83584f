import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessPerDescribe } from './helpers/harness.js';
import { mintToken, TEST_JWT_SECRET, TEST_ROUTER_SECRET, unsignedToken } from './helpers/tokens.js';

/** Callers and scopes over HTTP: every refusal is typed and reaches no vendor. */

const READ = 'batches:read';
const WRITE = 'batches:write';
const PAUSE = 'mutation Pause($id: ID!) { pauseBatch(id: $id) { __typename ... on BatchMutationSuccess { batch { id paused } } } }';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('bearer tokens (HS256) and scopes', () => {
  const t = harnessPerDescribe({ env: { AUTH_JWT_SECRET: TEST_JWT_SECRET, AUTH_ISSUER: 'https://id.example.test', AUTH_AUDIENCE: 'outbound-graph', ROUTER_SECRET: TEST_ROUTER_SECRET } });
  const valid = (scope: string, extra: Parameters<typeof mintToken>[0] = {}) => mintToken({ scope, issuer: 'https://id.example.test', audience: 'outbound-graph', ...extra });
  const query = () => ({ query: 'query One($id: ID!) { batch(id: $id) { id } }', variables: { id: t.batches.syllable[0] } });

  it('a token with batches:read reads', async () => {
    const answer = await t.h.post<{ batch: { id: string } }>(query(), bearer(await valid(READ)));
    expect(answer.status).toBe(200);
    expect(answer.body.data?.batch.id).toBe(t.batches.syllable[0]);
  });

  it.each([
    ['no Authorization header', () => Promise.resolve({})],
    ['a malformed header', () => Promise.resolve({ authorization: 'Token abc' })],
    ['a bad signature', async () => bearer(await valid(READ, { secret: 'another-secret-0123456789abcdef-xyz' }))],
    ['an expired token', async () => bearer(await valid(READ, { expiresIn: -120 }))],
    ['the wrong issuer', async () => bearer(await valid(READ, { issuer: 'https://evil.example.test' }))],
    ['the wrong audience', async () => bearer(await valid(READ, { audience: 'someone-else' }))],
    ['alg none', () => Promise.resolve(bearer(unsignedToken({ scope: READ, iss: 'https://id.example.test', aud: 'outbound-graph', exp: Math.floor(Date.now() / 1000) + 300 })))],
    ['a token without exp', async () => bearer(await new SignJWT({ scope: READ }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://id.example.test').setAudience('outbound-graph').sign(new TextEncoder().encode(TEST_JWT_SECRET)))],
  ])('%s → 401 UNAUTHENTICATED, no vendor call', async (_name, headers) => {
    const answer = await t.h.post(query(), await headers());
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(answer.body.errors?.[0]?.message).toMatch(/token|Authorization/);
    expect(await t.h.totalCalls()).toBe(0);
  });

  it('a token expired within the clock tolerance (30 s) is still accepted', async () => {
    const answer = await t.h.post(query(), bearer(await valid(READ, { expiresIn: -10 })));
    expect(answer.status).toBe(200);
  });

  it('scopes may come as an `scp` array', async () => {
    const answer = await t.h.post(query(), bearer(await valid('', { claims: { scp: [READ] } })));
    expect(answer.body.errors).toBeUndefined();
  });

  it('a read-only token calling a mutation gets FORBIDDEN and the vendor sees no write', async () => {
    const answer = await t.h.post({ query: PAUSE, variables: { id: t.batches.active[0] } }, bearer(await valid(READ)));
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: WRITE });
    expect(answer.body.errors?.[0]?.message).toMatch(/batches:write/);
    expect(await t.h.totalCalls()).toBe(0);
    const raw = (await t.h.requests('syllable')).filter((r) => r.method !== 'GET');
    expect(raw).toEqual([]);
  });

  it('a token with both scopes pauses', async () => {
    const answer = await t.h.post<{ pauseBatch: { batch: { paused: boolean } } }>({ query: PAUSE, variables: { id: t.batches.active[0] } }, bearer(await valid(`${READ} ${WRITE}`)));
    expect(answer.body.data?.pauseBatch.batch.paused).toBe(true);
    expect((await t.h.calls()).syllable['PUT /api/v1/outbound/batches/{batch_id}']).toBe(1);
  });

  it('a write-only token may not read a batch, by any path, and no vendor is read', async () => {
    const token = await valid(WRITE);
    const root = await t.h.post(query(), bearer(token));
    expect(root.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: READ });
    const node = await t.h.post({ query: `{ node(id: "${t.batches.bolna[0]}") { id } }` }, bearer(token));
    expect(node.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const entities = await t.h.post(
      { query: 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Batch { id } } }', variables: { r: [{ __typename: 'Batch', id: t.batches.bolna[0] }] } },
      bearer(token),
    );
    expect(entities.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await t.h.totalCalls()).toBe(0);
  });

  it('a write-only token pauses, and the batch in the answer is FORBIDDEN rather than shown', async () => {
    const id = t.batches.active.at(-1);
    const answer = await t.h.post({ query: PAUSE, variables: { id } }, bearer(await valid(WRITE)));
    expect(answer.body.errors?.[0]).toMatchObject({ path: ['pauseBatch', 'batch'], extensions: { code: 'FORBIDDEN', requiredScope: READ } });
    expect(answer.body.data).toBeNull();
    expect((await t.h.calls()).syllable['PUT /api/v1/outbound/batches/{batch_id}']).toBe(1);
  });

  it('two callers at once: each gets what its own token allows', async () => {
    const [reader, writer] = await Promise.all([valid(READ), valid(WRITE)]);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => t.h.post<{ batch: { id: string } }>(query(), bearer(i % 2 === 0 ? reader : writer))));
    answers.forEach((answer, i) => {
      if (i % 2 === 0) expect(answer.body.data?.batch.id).toBe(t.batches.syllable[0]);
      else expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('the federation router', () => {
    const entities = () => ({ query: 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Batch { id } } }', variables: { r: [{ __typename: 'Batch', id: t.batches.syllable[0] }] } });

    it('a wrong router secret is a 401', async () => {
      const answer = await t.h.post({ query: '{ _service { sdl } }' }, { 'router-authorization': 'not-the-secret-at-all' });
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('with the secret and no token: `_service` answers, data does not', async () => {
      const service = await t.h.post<{ _service: { sdl: string } }>({ query: '{ _service { sdl } }' }, { 'router-authorization': TEST_ROUTER_SECRET });
      expect(service.body.data?._service.sdl).toMatch(/type Batch/);
      const data = await t.h.post(entities(), { 'router-authorization': TEST_ROUTER_SECRET });
      expect(data.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: READ });
      expect(await t.h.totalCalls()).toBe(0);
    });

    it('with the secret and the forwarded user token: `_entities` resolves', async () => {
      const answer = await t.h.post<{ _entities: Array<{ id: string }> }>(entities(), { 'router-authorization': TEST_ROUTER_SECRET, ...bearer(await valid(READ)) });
      expect(answer.body.data?._entities).toEqual([{ id: t.batches.syllable[0] }]);
    });

    it('without the secret and without a token: 401', async () => {
      const answer = await t.h.post({ query: '{ _service { sdl } }' });
      expect(answer.status).toBe(401);
    });
  });
});

describe('the router secret in demo mode (no auth)', () => {
  const t = harnessPerDescribe({ env: { ROUTER_SECRET: TEST_ROUTER_SECRET } });

  it('`_service` answers only the router; ordinary queries stay open', async () => {
    const direct = await t.h.post({ query: '{ _service { sdl } }' });
    expect(direct.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const router = await t.h.post<{ _service: { sdl: string } }>({ query: '{ _service { sdl } }' }, { 'router-authorization': TEST_ROUTER_SECRET });
    expect(router.body.data?._service.sdl).toMatch(/@key/);
    const open = await t.h.post<{ batches: { totalCount: number } }>({ query: '{ batches { totalCount } }' });
    expect(open.body.data?.batches.totalCount).toBeGreaterThan(0);
  });
});

describe('tokens checked against a JWKS', () => {
  let jwks: Server;
  let jwksUrl = '';
  let sign: (kid: string) => Promise<string>;
  let jwksRequests = 0;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => {
      jwksRequests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    sign = (kid) => new SignJWT({ scope: READ }).setProtectedHeader({ alg: 'ES256', kid }).setExpirationTime('5m').sign(privateKey);
  });
  afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

  const t = harnessPerDescribe({ env: { get AUTH_JWKS_URL() {
    return jwksUrl;
  } } });

  it('accepts a token signed by a published key, refuses an unknown kid and an HS256 token', async () => {
    const body = { query: `{ batch(id: "${t.batches.syllable[0]}") { id } }` };
    expect((await t.h.post(body, bearer(await sign('key-1')))).status).toBe(200);
    const unknown = await t.h.post(body, bearer(await sign('key-2')));
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors?.[0]?.message).toMatch(/No published key/);
    const hmac = await t.h.post(body, bearer(await mintToken({ scope: READ })));
    expect(hmac.status).toBe(401);
    // The key set is cached: not fetched once per request.
    expect(jwksRequests).toBeLessThanOrEqual(2);
  });
});
