import { InvalidInputError } from './errors.js';

/** Relay connection arguments as GraphQL passes them. */
export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

export interface Page<T> {
  readonly edges: Array<{ cursor: string; node: T }>;
  readonly pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  readonly totalCount: number;
}

/**
 * How a list is paged: a cursor names an item; `locate` finds where that item is, or would be
 * if it has gone since, so a page boundary survives items appearing or disappearing.
 */
export interface CursorScheme<T> {
  cursorOf(item: T, index: number): string;
  /** Index of the named item (`exact`) or of the first item that sorts after it. */
  locate(cursor: string, items: readonly T[]): { index: number; exact: boolean };
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`; anything else is a typed input error. */
export function decodeCursor<T>(cursor: string, guard: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!guard(value)) throw new InvalidInputError(`Malformed cursor "${cursor.slice(0, 80)}": pass a cursor this API returned.`, 'cursor');
  return value;
}

export function paginate<T>(items: readonly T[], args: PageArgs, scheme: CursorScheme<T>, limits: { defaultSize: number; maxSize: number }): Page<T> {
  const { first, last } = args;
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value !== null && value !== undefined && (value < 0 || value > limits.maxSize)) {
      throw new InvalidInputError(`\`${name}\` must be between 0 and ${limits.maxSize}.`, name);
    }
  }
  if (first != null && last != null) throw new InvalidInputError('Pass `first` or `last`, not both.', 'last');

  let start = 0;
  let end = items.length;
  if (args.after) {
    const at = scheme.locate(args.after, items);
    start = at.exact ? at.index + 1 : at.index;
  }
  if (args.before) end = Math.max(start, scheme.locate(args.before, items).index);

  let from = start;
  let to = end;
  if (last != null) from = Math.max(start, end - last);
  else to = Math.min(end, start + (first ?? limits.defaultSize));

  const edges = items.slice(from, to).map((node, i) => ({ cursor: scheme.cursorOf(node, from + i), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: to < items.length,
      hasPreviousPage: from > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: items.length,
  };
}
