import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArraySplitter } from '../src/http/json-array-splitter.js';

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
