import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayTooLargeError, JsonArraySplitter, PARSE_SLICE_BYTES, readJsonArray } from '../src/http/json-array-splitter.js';

/** Feeds `text` in chunks of the given sizes (cycled) and collects the parsed elements. */
function split(text: string, sizes: readonly number[]): unknown[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: unknown[] = [];
  const splitter = new JsonArraySplitter((element) => out.push(JSON.parse(element)));
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = sizes[i % sizes.length]!;
    splitter.write(bytes.subarray(at, at + size));
    at += size;
  }
  splitter.finish();
  return out;
}

describe('JsonArraySplitter', () => {
  it('yields exactly the elements JSON.parse sees, however the body is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }), fc.boolean(), (values, sizes, pretty) => {
        const text = JSON.stringify(values, null, pretty ? 2 : undefined);
        expect(split(text, sizes)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });

  it('keeps strings with brackets, quotes, escapes and multi-byte characters intact across one-byte chunks', () => {
    const values = ['a"b\\', { x: '}]', y: ['[{'] }, 'ü€😀', -1.5e3, true, null, 0];
    expect(split(JSON.stringify(values), [1])).toEqual(values);
  });

  it.each([
    ['an object, not an array', '{"a":1}'],
    ['a cut array', '[{"a":1},'],
    ['a cut element', '[{"a":1'],
    ['data after the array', '[1] 2'],
    ['an empty body', ''],
  ])('rejects %s', (_name, text) => {
    expect(() => split(text, [3])).toThrow(SyntaxError);
  });
});

describe('a large array already buffered', () => {
  it('is parsed in slices: other work of the process runs between them', async () => {
    // 30,000 rows (~3 MB), every chunk available at once: nothing but the parser's own pauses lets other work in.
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ reference_id: `r${i}`, target: '+15550100000', request_status: 'COMPLETED', padding: 'x'.repeat(60) }));
    const body = Buffer.from(JSON.stringify(rows));
    const chunks = Array.from({ length: Math.ceil(body.length / 65_536) }, (_, i) => body.subarray(i * 65_536, (i + 1) * 65_536));
    // Counts turns of the event loop; each row records the turn it was mapped in.
    let turns = 0;
    let reading = true;
    const tick = () => {
      turns += 1;
      if (reading) setImmediate(tick);
    };
    setImmediate(tick);
    // An async generator hands each chunk on in a microtask, as a stream does with chunks it already holds.
    async function* buffered() {
      for (const chunk of chunks) yield await Promise.resolve(chunk);
    }
    const read = await readJsonArray(buffered(), () => turns, 100 * 2 ** 20);
    reading = false;
    expect(read.items).toHaveLength(30_000);
    expect(read.bytes).toBe(body.length);
    // At least one pause for each PARSE_SLICE_BYTES of body.
    expect(new Set(read.items).size).toBeGreaterThanOrEqual(Math.floor(body.length / PARSE_SLICE_BYTES));
  });

  it('refuses a body past its limit and one that is not an array', async () => {
    await expect(readJsonArray(Readable.from([Buffer.from('[1,2,3,4]')]), (raw) => raw, 4)).rejects.toThrow(ArrayTooLargeError);
    await expect(readJsonArray(Readable.from([Buffer.from('{"a": 1}')]), (raw) => raw, 100)).rejects.toThrow(SyntaxError);
  });
});
