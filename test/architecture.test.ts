import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The one way down (docs/architecture.md): every room of `src/` imports only from rooms below it,
 * and no files import each other in a circle. Read from the sources' own import lines.
 */

const SRC = join(process.cwd(), 'src');

/** Rooms by floor: a room may import from rooms on lower floors only. */
const FLOORS: Record<string, number> = {
  'main.ts': 10,
  'simulate.ts': 10,
  'token.ts': 10,
  'demo.ts': 9.5,
  server: 9,
  schema: 8,
  store: 7,
  fleet: 6,
  config: 6,
  live: 5,
  launch: 5,
  ops: 5,
  cache: 4,
  vendors: 3,
  security: 3,
  http: 2,
  redis: 2,
  simulators: 2,
  domain: 1,
  'logger.ts': 1,
  'env.ts': 1,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
}

const roomOf = (file: string) => relative(SRC, file).split('/')[0]!;

/** Each source file with the source files it imports. */
const graph = new Map(
  sources(SRC).map((file) => {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)].map((match) => normalize(join(dirname(file), `${match[1]}.ts`)));
    return [file, imports] as const;
  }),
);

describe('the one way down', () => {
  it('every room of src/ has a floor', () => {
    expect([...new Set([...graph.keys()].map(roomOf))].filter((room) => FLOORS[room] === undefined)).toEqual([]);
  });

  it('no room imports from a room on its floor or above', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        const from = roomOf(file);
        const to = roomOf(target);
        if (from !== to && FLOORS[to]! >= FLOORS[from]!) upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no files import each other in a circle', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) {
        if (state.get(target) === 'open') circles.push([...path.slice(path.indexOf(target)), target].map((f) => relative(SRC, f)).join(' -> '));
        else if (!state.has(target)) visit(target, [...path, target]);
      }
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
    expect(circles).toEqual([]);
  });
});
