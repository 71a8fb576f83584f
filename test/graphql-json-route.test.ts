import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { harnessPerDescribe } from './helpers/harness.js';
import { mintToken, TEST_JWT_SECRET } from './helpers/tokens.js';

/**
 * `POST /graphql` with a JSON body is answered by the JSON route (src/server/graphql-json-route.ts)
 * without yoga's Fetch adapter; the same request with a query string is yoga's, whole. Each request
 * below is sent both ways and must get the same answer: status, headers and body.
 */

interface RawAnswer {
  readonly status: number;
  /** The headers a client reads, without those that differ per answer (date, request id). */
  readonly headers: Record<string, string>;
  /** How the answer spelled its content-type header: the JSON route writes it lower-case, yoga as `Content-Type`. */
  readonly contentTypeSpelling: string | undefined;
  readonly body: string;
}

const PER_ANSWER = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);

function send(url: string, path: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const req = httpRequest(target, { method: 'POST', headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: comparable(res.headers),
          contentTypeSpelling: res.rawHeaders.find((name) => name.toLowerCase() === 'content-type'),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function comparable(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!PER_ANSWER.has(name) && value !== undefined) kept[name] = String(value);
  return kept;
}

/** An answer as a client reads it: header names in any order, spelt in any case. */
function seen(answer: RawAnswer): string {
  return JSON.stringify({ status: answer.status, headers: Object.fromEntries(Object.entries(answer.headers).sort()), body: answer.body });
}

const BATCH = 'query One($id: ID!) { batch(id: $id) { id status totalCount statusCounts { vendorStatus count } progress { completed notReached failed finishedFraction } } }';
const JSON_TYPES = 'application/graphql-response+json, application/json';
const ORIGIN = 'https://dashboard.example.test';

describe('the JSON route answers as yoga does', () => {
  const t = harnessPerDescribe({ env: { AUTH_JWT_SECRET: TEST_JWT_SECRET, INTROSPECTION: 'false', CORS_ORIGINS: ORIGIN, MAX_REQUEST_BODY_BYTES: '4096' } });

  /** The same request down both routes: the JSON route's answer, and yoga's. */
  async function bothWays(headers: Record<string, string>, body: string): Promise<[RawAnswer, RawAnswer]> {
    const direct = await send(t.h.graphqlUrl, '/graphql', headers, body);
    const viaYoga = await send(t.h.graphqlUrl, '/graphql?route=yoga', headers, body);
    return [direct, viaYoga];
  }

  it('answers a read itself, with the body, status and headers yoga gives it', async () => {
    const token = await mintToken({ scope: 'batches:read' });
    const body = JSON.stringify({ query: BATCH, variables: { id: t.batches.syllable[0] } });
    const [direct, viaYoga] = await bothWays({ 'content-type': 'application/json', accept: JSON_TYPES, authorization: `Bearer ${token}` }, body);
    expect(direct.contentTypeSpelling).toBe('content-type');
    expect(viaYoga.contentTypeSpelling).toBe('Content-Type');
    expect(direct.status).toBe(200);
    expect((JSON.parse(direct.body) as { data: { batch: { id: string } } }).data.batch.id).toBe(t.batches.syllable[0]);
    expect(seen(direct)).toBe(seen(viaYoga));
  });

  it('gives the same answer to every other kind of request, refusals included', async () => {
    const read = `Bearer ${await mintToken({ scope: 'batches:read' })}`;
    const json = { 'content-type': 'application/json', accept: JSON_TYPES, authorization: read };
    const operation = (query: string, variables?: unknown) => JSON.stringify({ query, variables });
    const cases: Array<[string, Record<string, string>, string]> = [
      ['no Accept header', { 'content-type': 'application/json', authorization: read }, operation(BATCH, { id: t.batches.bolna[0] })],
      ['Accept: application/graphql-response+json', { ...json, accept: 'application/graphql-response+json' }, operation(BATCH, { id: t.batches.syllable[1] })],
      ['Accept: */*, a charset in Content-Type', { ...json, accept: '*/*', 'content-type': 'application/json; charset=utf-8' }, operation('{ batchAccess { scopes } }')],
      ['Accept of no JSON type', { ...json, accept: 'text/html' }, operation('{ __typename }')],
      ['Accept of another charset', { ...json, accept: 'application/json; charset=iso-8859-1' }, operation('{ __typename }')],
      ['a syntax error', json, operation('{ batch(id: "syllable:1" { id }')],
      ['a validation error (suggestions hidden)', json, operation('{ batchez { totalCount } }')],
      ['a validation error under application/json', { ...json, accept: 'application/json' }, operation('{ batchez { totalCount } }')],
      ['a wrong enum value in variables', json, operation('query($s: [BatchStatus!]) { batches(first: 1, filter: { status: $s }) { totalCount } }', { s: ['ACTIV'] })],
      ['a malformed id', json, operation('{ batch(id: "nope") { id } }')],
      ['an unknown batch', json, operation(BATCH, { id: 'syllable:no-such-batch' })],
      ['a page over the plan', json, operation('{ batches(first: 1000) { totalCount } }')],
      ['too many aliases', json, operation(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: __typename`).join(' ')} }`)],
      ['a mutation without the write scope', json, operation('mutation($id: ID!) { pauseBatch(id: $id) { __typename } }', { id: t.batches.active[0] })],
      ['no token', { 'content-type': 'application/json', accept: JSON_TYPES }, operation('{ __typename }')],
      ['a bad token', { ...json, authorization: 'Bearer not.a.token' }, operation('{ __typename }')],
      ['a token and a body both wrong', { ...json, authorization: 'Bearer x' }, '{not json'],
      ['a body that is not JSON', json, '{"query": '],
      ['a body of null', json, 'null'],
      ['a list of operations (batching is off)', json, JSON.stringify([{ query: '{ __typename }' }])],
      ['a query that is not text', json, JSON.stringify({ query: 1 })],
      ['no query', json, JSON.stringify({ variables: {} })],
      ['a parameter GraphQL does not have', json, JSON.stringify({ query: '{ __typename }', extra: 1 })],
      ['variables that are not an object', json, JSON.stringify({ query: '{ __typename }', variables: [1] })],
      ['a body over MAX_REQUEST_BODY_BYTES', json, JSON.stringify({ query: `{ __typename } # ${'x'.repeat(5000)}` })],
      ['a subscription', json, operation('subscription($id: ID!) { batchProgress(id: $id) { changed } }', { id: t.batches.syllable[0] })],
      ['introspection, which is off', json, operation('{ __schema { queryType { name } } }')],
      ['a listed Origin', { ...json, origin: ORIGIN }, operation('{ batchAccess { scopes } }')],
      ['an Origin not listed', { ...json, origin: 'https://elsewhere.example.test' }, operation('{ batchAccess { scopes } }')],
      ['a listed Origin and an error', { ...json, origin: ORIGIN }, operation('{ batchez }')],
    ];
    const differing: string[] = [];
    for (const [name, headers, body] of cases) {
      const [direct, viaYoga] = await bothWays(headers, body);
      const directSeen = seen(direct);
      const yogaSeen = seen(viaYoga);
      if (directSeen !== yogaSeen) differing.push(`${name}:\n  JSON route ${JSON.stringify(directSeen)}\n  yoga       ${JSON.stringify(yogaSeen)}`);
    }
    expect(differing).toEqual([]);
    // Nothing was paused by the refused mutation, down either route.
    expect((await t.h.calls()).syllable['POST /api/v1/outbound/batches/{batch_id}/pause'] ?? 0).toBe(0);
  });

  it('survives a client that leaves halfway through its body, and serves the next', async () => {
    const { port } = new URL(t.h.graphqlUrl);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"query": "{ __type');
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const token = await mintToken({ scope: 'batches:read' });
    const answer = await t.h.post({ query: '{ __typename }' }, { authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { __typename: 'Query' } });
  });
});
