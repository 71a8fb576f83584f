import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/domain/errors.js';
import { batchGlobalId, parseGlobalId, resultGlobalId } from '../src/domain/ids.js';
import type { ResultRecord, StatusCountRecord } from '../src/domain/model.js';
import { neutraliseCell, resultsCsvChunks } from '../src/domain/results-csv.js';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { encodeCursor, paginate, type CursorScheme } from '../src/domain/pagination.js';
import {
  normaliseBolnaBatchStatus,
  normaliseBolnaExecutionStatus,
  normaliseSyllableBatchStatus,
  normaliseSyllableResultStatus,
  progressTotals,
} from '../src/domain/status.js';

describe('global ids', () => {
  it('stay readable and round-trip vendor ids that contain the separator', () => {
    expect(batchGlobalId({ vendor: 'syllable', batchId: '20250117.9' })).toBe('syllable:20250117.9');
    const odd = { vendor: 'syllable' as const, batchId: 'a:b%3A', referenceId: 'ref:1%' };
    const id = resultGlobalId(odd);
    expect(id).toBe('syllable:a%3Ab%253A:ref%3A1%25');
    expect(parseGlobalId(id)).toEqual({ kind: 'BatchResult', ...odd });
  });

  it.each(['', 'syllable', 'twilio:1', 'bolna:xyz', 'syllable:a b', 'syllable:a:b:c', `syllable:${'x'.repeat(300)}`])('rejects %j', (id) => {
    expect(() => parseGlobalId(id)).toThrow(InvalidInputError);
  });
});

describe('status normalisation', () => {
  it.each([
    ['PENDING', null, 'PENDING'],
    ['CONNECTED', null, 'IN_PROGRESS'],
    ['CONNECTED', 'NO-ANSWER', 'NOT_REACHED'],
    ['INITIATED', 'BUSY', 'NOT_REACHED'],
    ['CONNECTED', 'COMPLETED', 'COMPLETED'],
    ['CONNECTED', 'SIP_NOT_FOUND', 'FAILED'],
    ['COMPLETED', 'MACHINE', 'NOT_REACHED'],
    ['COMPLETED', 'COMPLETED', 'COMPLETED'],
    ['FAILED', 'NO-ANSWER', 'NOT_REACHED'],
    ['INVALID', 'INVALID', 'FAILED'],
    ['SKIPPED', 'FILTERED_LINE_TYPE', 'CANCELED'],
    ['DUPLICATE', null, 'CANCELED'],
    ['CALL_COMPLETED', null, 'COMPLETED'],
    ['SOMETHING_NEW', 'NO-ANSWER', 'UNKNOWN'],
  ] as const)('Syllable %s / %s → %s', (request, channel, expected) => {
    expect(normaliseSyllableResultStatus(request, channel)).toBe(expected);
  });

  it.each([
    ['in-progress', 'IN_PROGRESS'],
    ['call-disconnected', 'IN_PROGRESS'],
    ['no-answer', 'NOT_REACHED'],
    ['balance-low', 'FAILED'],
    ['stopped', 'CANCELED'],
    ['initiate', 'IN_PROGRESS'],
    ['teleported', 'UNKNOWN'],
  ] as const)('Bolna execution %s → %s', (status, expected) => {
    expect(normaliseBolnaExecutionStatus(status)).toBe(expected);
  });

  it('batch statuses: Syllable paused flag, Bolna lifecycle, unknown values', () => {
    expect(normaliseSyllableBatchStatus('ACTIVE', true)).toBe('PAUSED');
    expect(normaliseSyllableBatchStatus('CANCELED', true)).toBe('CANCELED');
    expect(normaliseSyllableBatchStatus('IDLE', false)).toBe('UNKNOWN');
    expect(normaliseBolnaBatchStatus('executed')).toBe('COMPLETED');
    expect(normaliseBolnaBatchStatus('queued')).toBe('ACTIVE');
    expect(normaliseBolnaBatchStatus('archived')).toBe('UNKNOWN');
  });

  it('progress uses channel breakdowns and keeps the uncovered remainder', () => {
    const counts: StatusCountRecord[] = [
      { status: 'IN_PROGRESS', vendorStatus: 'CONNECTED', count: 10, breakdown: [{ status: 'NOT_REACHED', vendorStatus: 'NO-ANSWER', count: 4, breakdown: [] }] },
      { status: 'COMPLETED', vendorStatus: 'COMPLETED', count: 5, breakdown: [] },
    ];
    expect(progressTotals(counts)).toMatchObject({ total: 15, IN_PROGRESS: 6, NOT_REACHED: 4, COMPLETED: 5, finished: 9 });
  });
});

describe('paginate', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  const scheme: CursorScheme<string> = {
    cursorOf: (item) => encodeCursor(item),
    locate(cursor, list) {
      const name = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as string;
      const index = list.findIndex((x) => x >= name);
      return index < 0 ? { index: list.length, exact: false } : { index, exact: list[index] === name };
    },
  };
  const limits = { defaultSize: 2, maxSize: 3 };
  const nodes = (page: ReturnType<typeof paginate<string>>) => page.edges.map((e) => e.node);

  it('pages forward and backward', () => {
    const first = paginate(items, {}, scheme, limits);
    expect(nodes(first)).toEqual(['a', 'b']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(nodes(paginate(items, { first: 3, after: first.pageInfo.endCursor }, scheme, limits))).toEqual(['c', 'd', 'e']);
    expect(nodes(paginate(items, { last: 2, before: encodeCursor('d') }, scheme, limits))).toEqual(['b', 'c']);
  });

  it('continues after a cursor whose item has gone', () => {
    expect(nodes(paginate(['a', 'c', 'd'], { first: 2, after: encodeCursor('b') }, scheme, limits))).toEqual(['c', 'd']);
  });

  it('refuses sizes over the cap and first with last', () => {
    expect(() => paginate(items, { first: 4 }, scheme, limits)).toThrow(/between 0 and 3/);
    expect(() => paginate(items, { first: 1, last: 1 }, scheme, limits)).toThrow(/not both/);
  });
});

describe('results CSV', () => {
  const row = (variables: Record<string, unknown>, extra: Partial<ResultRecord> = {}): ResultRecord => ({
    vendor: 'syllable',
    vendorBatchId: 'b1',
    referenceId: 'r1',
    target: '+15555550123',
    variables,
    status: 'COMPLETED',
    vendorStatus: 'COMPLETED',
    attemptCount: 1,
    createdAt: '2026-12-01 10:00:00+01:00',
    insights: null,
    providerCallId: null,
    ...extra,
  });
  const parsed = (rows: ResultRecord[]): Array<Record<string, string>> => parseCsv([...resultsCsvChunks(rows)].map((chunk) => chunk.text).join(''), { columns: true });

  it('neutralises what a spreadsheet would run, and leaves E.164 numbers and plain numbers as they are', () => {
    expect(['=1+2', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx'].map(neutraliseCell)).toEqual(["'=1+2", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tx", "'\rx"]);
    expect(['+15555550123', '-12.5', '42', 'plain', ''].map(neutraliseCell)).toEqual(['+15555550123', '-12.5', '42', 'plain', '']);
  });

  it('writes timestamps in UTC, variables as columns (renamed when a fixed column has the name), and non-text values as JSON', () => {
    const [first] = parsed([row({ first_name: 'Ada', status: 'vip', score: 3, tags: ['a', 'b'] })]);
    expect(first).toMatchObject({ phone_number: '+15555550123', created_at: '2026-12-01T09:00:00.000Z', first_name: 'Ada', 'variable:status': 'vip', status: 'COMPLETED', score: '3', tags: '["a","b"]' });
    expect(parsed([row({}, { createdAt: 'yesterday' })])[0]!.created_at).toBe('yesterday');
  });

  it('any text round-trips through a CSV reader as the cell a spreadsheet should see', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }), (notes) => {
        const rows = notes.map((note, i) => row({ note }, { referenceId: `r${i}` }));
        expect(parsed(rows).map((cells) => cells.note)).toEqual(notes.map(neutraliseCell));
      }),
      { numRuns: 300 },
    );
  });
});
