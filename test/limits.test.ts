import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { harnessPerDescribe, type Harness } from './helpers/harness.js';

/**
 * What a request may cost (reliability-security.md S1-S9): each limit refuses a request just
 * over it with a typed code and no vendor call, and lets one just under it through.
 */

const codesOf = (answer: { body: { errors?: Array<{ extensions?: Record<string, unknown> }> } }) => (answer.body.errors ?? []).map((e) => e.extensions?.code);
const bolnaId = (n: number) => `bolna:${n.toString(16).padStart(32, '0')}`;

async function refused(h: Harness, body: unknown, code: string, status = 400) {
  const answer = await h.post(body);
  expect(codesOf(answer)).toContain(code);
  expect(answer.status).toBe(status);
  expect(await h.totalCalls()).toBe(0);
  return answer;
}

describe('document limits (GraphQL Armor), default settings', () => {
  const t = harnessPerDescribe();

  it('the deepest legitimate query (7 levels) passes the default depth limit of 9', async () => {
    const answer = await t.h.post({ query: '{ batches(first: 1) { edges { node { results(first: 1) { edges { node { id } } } } } } }' });
    expect(answer.body.errors).toBeUndefined();
  });

  it('aliases: 15 pass, 16 are refused before any vendor call', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: batch(id: "${bolnaId(i)}") { id }`).join(' ')} }`;
    const ok = await t.h.post({ query: aliases(15) });
    expect(codesOf(ok).every((code) => code === 'NOT_FOUND')).toBe(true);
    await t.h.reset();
    const answer = await refused(t.h, { query: aliases(16) }, 'MAX_ALIASES_EXCEEDED');
    expect(answer.body.errors?.[0]?.message).toMatch(/MAX_ALIASES/);
  });

  it('directives: 50 pass, 51 are refused', async () => {
    // One directive per field (a directive may appear once per location); `__typename` aliases are free.
    const directives = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename @include(if: true)`).join(' ')} }`;
    expect((await t.h.post({ query: directives(50) })).body.errors).toBeUndefined();
    await refused(t.h, { query: directives(51) }, 'MAX_DIRECTIVES_EXCEEDED');
  });

  it('tokens: 1000 pass, 1001 are refused (the parser stops there)', async () => {
    // `{`, 332 aliased fields of 3 tokens, n - 998 plain `__typename`s, `}`: n tokens.
    const tokens = (n: number) => `{ ${Array.from({ length: 332 }, (_, i) => `t${i}: __typename`).join(' ')} ${'__typename '.repeat(n - 998)}}`;
    expect((await t.h.post({ query: tokens(1000) })).body.errors).toBeUndefined();
    await refused(t.h, { query: tokens(1001) }, 'MAX_TOKENS_EXCEEDED');
  });

  it('characters: 15,000 pass, 15,001 are refused', async () => {
    const sized = (n: number) => {
      const base = '{ __typename }\n#';
      return base + 'x'.repeat(n - base.length);
    };
    expect(sized(15_000)).toHaveLength(15_000);
    expect((await t.h.post({ query: sized(15_000) })).body.errors).toBeUndefined();
    await refused(t.h, { query: sized(15_001) }, 'MAX_CHARACTERS_EXCEEDED');
  });

  it('a 200-level introspection query and a 500-fragment chain are refused', async () => {
    let nested = 'name';
    for (let i = 0; i < 200; i += 1) nested = `ofType { ${nested} }`;
    await refused(t.h, { query: `{ __schema { types { fields { type { ${nested} } } } } }` }, 'MAX_INTROSPECTION_DEPTH_EXCEEDED');
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `fragment F${i} on Query{${i === n - 1 ? '__typename' : `...F${i + 1}`}}`).join('');
    // 500 fragments are over the character limit too; 400 stay under it and meet the token limit.
    await refused(t.h, { query: `{...F0}${chain(500)}` }, 'MAX_CHARACTERS_EXCEEDED');
    expect(chain(400).length).toBeLessThan(15_000);
    await refused(t.h, { query: `{...F0}${chain(400)}` }, 'MAX_TOKENS_EXCEEDED');
  });

  it('GraphiQL\'s introspection query passes', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const answer = await t.h.post({ query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }) });
    expect(answer.body.errors).toBeUndefined();
  });

  it('deep nesting never overflows the stack: 10,000 `{`, a 2,000-level query, deep variables are 400s', async () => {
    await refused(t.h, { query: '{'.repeat(10_000) }, 'GRAPHQL_PARSE_FAILED');
    await refused(t.h, { query: `${'{ a '.repeat(2_000)}${'}'.repeat(2_000)}` }, 'MAX_TOKENS_EXCEEDED');
    // Written out: JSON.stringify itself cannot nest 10,000 deep.
    const deep = `${'['.repeat(10_000)}"x"${']'.repeat(10_000)}`;
    await refused(t.h, `{"query":"query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }","variables":{"ids":${deep}}}`, 'BAD_USER_INPUT');
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    expect((await t.h.post(`{"query":"query Q($v: JSON) { __typename }","variables":{"v":${deepObject}}}`)).status).toBeLessThan(500);
    // The server is still there.
    expect((await t.h.post({ query: '{ __typename }' })).status).toBe(200);
  });

  it('variables of the wrong type, null for non-null and unknown enum values are BAD_USER_INPUT, with no vendor call', async () => {
    await refused(t.h, { query: 'query Q($id: ID!) { batch(id: $id) { id } }', variables: { id: { not: 'an id' } } }, 'BAD_USER_INPUT');
    await refused(t.h, { query: 'query Q($id: ID!) { batch(id: $id) { id } }', variables: { id: null } }, 'BAD_USER_INPUT');
    await refused(t.h, { query: 'query Q($v: Vendor) { batches(vendor: $v) { totalCount } }', variables: { v: 'TWILIO' } }, 'BAD_USER_INPUT');
  });

  it('a 1 MB string variable and a malformed Bolna id are typed errors with no vendor call', async () => {
    const answer = await t.h.post({ query: 'query Q($id: ID!) { batch(id: $id) { id } }', variables: { id: `syllable:${'x'.repeat(1_000_000)}` } });
    expect(codesOf(answer)).toEqual(['INVALID_INPUT']);
    const bolna = await t.h.post({ query: '{ batch(id: "bolna:not-hex") { id } }' });
    expect(codesOf(bolna)).toEqual(['INVALID_INPUT']);
    expect(await t.h.totalCalls()).toBe(0);
  });
});

describe('what an operation may cost (its plan, checked before it runs)', () => {
  const t = harnessPerDescribe();

  it('`first` above its cap is a 400 before any vendor call, literal or variable', async () => {
    await refused(t.h, { query: '{ batches(first: 101) { totalCount } }' }, 'INVALID_INPUT');
    await refused(t.h, { query: 'query Q($n: Int) { batches(first: $n) { totalCount } }', variables: { n: 500 } }, 'INVALID_INPUT');
    await refused(t.h, { query: `{ batch(id: "${t.batches.syllable[0]}") { results(first: 501) { totalCount } } }` }, 'INVALID_INPUT');
    expect((await t.h.post({ query: '{ batches(first: 100) { totalCount } }' })).body.errors).toBeUndefined();
  });

  it('a plan that passed is remembered for its document and variables only: other variables and operations are planned again', async () => {
    const query = 'query Q($n: Int) { batches(first: $n) { totalCount } }';
    for (let i = 0; i < 3; i += 1) expect((await t.h.post({ query, variables: { n: 5 } })).body.errors).toBeUndefined();
    const callsAfterPassing = await t.h.totalCalls();
    // The same text after it passed: refused with other variables, every time, before any vendor call.
    for (let i = 0; i < 2; i += 1) {
      const answer = await t.h.post({ query, variables: { n: 500 } });
      expect(codesOf(answer)).toEqual(['INVALID_INPUT']);
      expect(answer.status).toBe(400);
    }
    // The same variables, another operation of the same text.
    const named = 'query Small($n: Int) { batches(first: $n) { totalCount } } query Large($n: Int) { batches(first: $n) { edges { node { results(first: 500) { edges { node { id } } } } } } }';
    expect(codesOf(await t.h.post({ query: named, operationName: 'Large', variables: { n: 10 } }))).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(await t.h.totalCalls()).toBe(callsAfterPassing);
    expect((await t.h.post({ query: named, operationName: 'Small', variables: { n: 10 } })).body.errors).toBeUndefined();
    expect(codesOf(await t.h.post({ query: named, operationName: 'Large', variables: { n: 10 } }))).toEqual(['COST_LIMIT_EXCEEDED']);
  });

  it('cost multiplies page sizes: 9 batches × 500 results (4,529) pass, 10 × 500 (5,032) are refused', async () => {
    const query = (n: number) => `{ batches(first: ${n}) { edges { node { results(first: 500) { edges { node { id } } } } } } }`;
    const over = await refused(t.h, { query: query(10) }, 'COST_LIMIT_EXCEEDED');
    expect(over.body.errors?.[0]?.extensions).toMatchObject({ cost: 5032, maxCost: 5000 });
    expect((await t.h.post({ query: query(9) })).body.errors).toBeUndefined();
  });

  it('nodes(ids:) takes 100 ids; 101 are refused before any id is read', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => bolnaId(i));
    const answer = await refused(t.h, { query: 'query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: ids(101) } }, 'LIST_TOO_LONG');
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ field: 'ids', limit: 100 });
    // 100 malformed ids answer at once, each with its own error.
    const ok = await t.h.post({ query: 'query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: Array.from({ length: 100 }, (_, i) => `nope:${i}`) } });
    expect(codesOf(ok)).toHaveLength(100);
  });

  it('_entities takes 500 representations; 501 are refused', async () => {
    const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Batch', id: `syllable:x${i}` }));
    await refused(t.h, { query: 'query E($r: [_Any!]!) { _entities(representations: $r) { __typename } }', variables: { r: representations(501) } }, 'LIST_TOO_LONG');
  });

  it('an HTTP batch (array) is refused; a mutation over GET is 405; malformed JSON is 400 with a code', async () => {
    const batch = await t.h.post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(batch.status).toBe(400);
    expect(codesOf(batch)[0]).toBe('BAD_REQUEST');
    const get = await fetch(`${t.h.graphqlUrl}?query=${encodeURIComponent(`mutation { pauseBatch(id: "${t.batches.active[0]}") { __typename } }`)}`, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
    expect(get.status).toBe(405);
    expect(((await get.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('METHOD_NOT_ALLOWED');
    const malformed = await t.h.post('{"query": ');
    expect(malformed.status).toBe(400);
    expect(codesOf(malformed)[0]).toBe('BAD_REQUEST');
    expect(await t.h.totalCalls()).toBe(0);
  });

  it('a GET with malformed variables or extensions JSON is a 400', async () => {
    for (const param of ['variables', 'extensions']) {
      const response = await fetch(`${t.h.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}&${param}=%7Bnope`, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
    }
  });

  it('ids `.` and `..` are refused; other ids reach the vendor as one encoded path segment', async () => {
    for (const id of ['syllable:.', 'syllable:..']) {
      const answer = await t.h.post({ query: `{ batch(id: "${id}") { id } }` });
      expect(codesOf(answer)).toEqual(['INVALID_INPUT']);
      const pause = await t.h.post({ query: `mutation { pauseBatch(id: "${id}") { __typename ... on InvalidInputError { code } } }` });
      expect(pause.body.data).toEqual({ pauseBatch: { __typename: 'InvalidInputError', code: 'INVALID_INPUT' } });
    }
    expect(await t.h.totalCalls()).toBe(0);
    const answer = await t.h.post({ query: '{ batch(id: "syllable:../a/b?c#d") { id } }' });
    expect(codesOf(answer)).toEqual(['NOT_FOUND']);
    expect((await t.h.requests('syllable')).map((r) => r.path)).toEqual(['/api/v1/outbound/batches/..%2Fa%2Fb%3Fc%23d']);
  });
});

describe('the vendor-call budget of one operation', () => {
  const t = harnessPerDescribe({ env: { MAX_VENDOR_CALLS_PER_OPERATION: '5' } });

  it('past 5 calls the rest is left out with VENDOR_CALL_BUDGET_EXCEEDED; the vendor saw 5 calls', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => bolnaId(i));
    const answer = await t.h.post({ query: 'query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } });
    const codes = codesOf(answer);
    expect(codes.filter((code) => code === 'NOT_FOUND')).toHaveLength(5);
    expect(codes.filter((code) => code === 'VENDOR_CALL_BUDGET_EXCEEDED')).toHaveLength(3);
    expect(answer.body.errors?.find((e) => e.extensions?.code === 'VENDOR_CALL_BUDGET_EXCEEDED')?.path).toEqual(['nodes', 5]);
    expect(await t.h.totalCalls()).toBe(5);
  });

  it('reads served from the cache cost nothing', async () => {
    const list = '{ batches(first: 5) { totalCount } }';
    expect((await t.h.post({ query: list })).body.errors).toBeUndefined();
    const calls = await t.h.totalCalls();
    // Ten aliases of the cached list: no call, no budget spent.
    const answer = await t.h.post({ query: `{ ${Array.from({ length: 10 }, (_, i) => `l${i}: batches(first: 5) { totalCount }`).join(' ')} }` });
    expect(answer.body.errors).toBeUndefined();
    expect(await t.h.totalCalls()).toBe(calls);
  });
});

describe('request body limit', () => {
  const t = harnessPerDescribe({ env: { MAX_REQUEST_BODY_BYTES: '4096' } });

  it('a body one byte over the limit is a 413; one at the limit passes', async () => {
    const body = (size: number) => {
      const head = '{"query":"{ __typename }","variables":{"pad":"';
      return `${head}${'x'.repeat(size - head.length - 3)}"}}`;
    };
    expect(body(4096)).toHaveLength(4096);
    expect((await t.h.post(body(4096))).status).toBe(200);
    const over = await t.h.post(body(4097));
    expect(over.status).toBe(413);
    expect(codesOf(over)).toEqual(['REQUEST_ENTITY_TOO_LARGE']);
  });

  it('a chunked body is counted as it streams', async () => {
    const chunks = ['{"query":"{ __typename }","variables":{"pad":"', 'x'.repeat(5000), '"}}'];
    const stream = new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const response = await fetch(t.h.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
  });
});

describe('the production profile: introspection and GraphiQL off', () => {
  const t = harnessPerDescribe({ env: { NODE_ENV: 'production', AUTH_DISABLED: 'true' } });

  it('refuses __schema with a code, hides field suggestions, serves no GraphiQL page', async () => {
    const schema = await t.h.post({ query: '{ __schema { types { name } } }' });
    expect(codesOf(schema)[0]).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(schema.body.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await t.h.post({ query: '{ batchs { totalCount } }' });
    expect(typo.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect(codesOf(typo)[0]).toBe('GRAPHQL_VALIDATION_FAILED');
    // An enum typo in a variable names no value of the schema either.
    const enumTypo = await t.h.post({ query: 'query($s: BatchStatus) { batches(first: 1, status: $s) { totalCount } }', variables: { s: 'ACTIV' } });
    expect(codesOf(enumTypo)[0]).toBe('BAD_USER_INPUT');
    expect(enumTypo.body.errors?.[0]?.message).toMatch(/ACTIV/);
    expect(enumTypo.body.errors?.[0]?.message).not.toMatch(/Did you mean|ACTIVE/);
    const literalTypo = await t.h.post({ query: '{ batches(first: 1, status: ACTIV) { totalCount } }' });
    expect(literalTypo.body.errors?.[0]?.message).not.toMatch(/Did you mean|ACTIVE/);
    const page = await fetch(t.h.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/<html/i);
  });
});

describe('load shedding and slow clients', () => {
  const t = harnessPerDescribe({ latencyMs: 600, env: { MAX_INFLIGHT_OPERATIONS: '2', CACHE_TTL_MS: '0', HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '600' } });

  it('past MAX_INFLIGHT_OPERATIONS requests get 503 with Retry-After at once; it recovers', async () => {
    const slow = [0, 1].map(() => t.h.post({ query: '{ batches(first: 1) { totalCount } }' }));
    // Wait until both slow requests have reached a vendor: they are in flight.
    while ((await t.h.totalCalls()) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    const shed = await Promise.all([0, 1, 2].map(() => t.h.post({ query: '{ __typename }' })));
    for (const answer of shed) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(codesOf(answer)).toEqual(['OVERLOADED']);
    }
    expect((await Promise.all(slow)).map((a) => a.status)).toEqual([200, 200]);
    expect((await t.h.post({ query: '{ __typename }' })).status).toBe(200);
  });

  const closedWithin = (send: (socket: Socket) => void) =>
    new Promise<{ closed: boolean; reply: string }>((resolve) => {
      const { port } = new URL(t.h.graphqlUrl);
      const socket = connect(Number(port), '127.0.0.1', () => send(socket));
      let reply = '';
      socket.on('data', (chunk) => (reply += chunk.toString()));
      // Bounded: the test ends either way.
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ closed: false, reply });
      }, 8_000);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ closed: true, reply });
      });
    });

  it('a client that never finishes its headers is closed', async () => {
    const result = await closedWithin((socket) => socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '));
    expect(result.closed).toBe(true);
    expect(result.reply).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a client that never finishes its body is closed', async () => {
    const result = await closedWithin((socket) => socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":'));
    expect(result.closed).toBe(true);
  });
});

describe('depth, at MAX_DEPTH=6: one level more is refused, however it is written', () => {
  const t = harnessPerDescribe({ env: { MAX_DEPTH: '6' } });
  const six = '{ batches(first: 1) { edges { node { results(first: 1) { edges { cursor } } } } } }';
  const seven = 'batches(first: 1) { edges { node { results(first: 1) { edges { node { id } } } } } }';

  it('6 levels pass', async () => {
    expect((await t.h.post({ query: six })).body.errors).toBeUndefined();
  });

  it.each([
    ['plain fields', `{ ${seven} }`],
    ['a fragment', `{ ...Deep } fragment Deep on Query { ${seven} }`],
    ['inline fragments', `{ ... on Query { batches(first: 1) { edges { node { ... on Batch { results(first: 1) { edges { node { id } } } } } } } } }`],
    ['a fragment named __schema', `{ ...__schema } fragment __schema on Query { ${seven} }`],
    ['an operation named __schema', `query __schema { ${seven} }`],
  ])('7 levels through %s are refused with no vendor call', async (_name, query) => {
    await refused(t.h, { query }, 'MAX_DEPTH_EXCEEDED');
  });
});
