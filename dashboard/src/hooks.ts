import { useEffect, useState } from 'preact/hooks';
import type { Answer, ApiError } from './api';
import { describeError } from './errors';

/** The current time, renewed every `intervalMs`: for "updated 4 s ago". */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Where the page is: `#/` (the list, with its filters), `#/batch/<id>`, or `#/new` (a new batch). */
export interface Route {
  readonly batchId: string | null;
  readonly newBatch: boolean;
  readonly params: URLSearchParams;
}

function readRoute(): Route {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?');
  const match = /^\/batch\/(.+)$/.exec(path);
  return { batchId: match ? decodeURIComponent(match[1]!) : null, newBatch: path === '/new', params: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const update = () => setRoute(readRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function batchHref(id: string): string {
  return `#/batch/${encodeURIComponent(id)}`;
}

export const NEW_BATCH_HREF = '#/new';

export function listHref(params: URLSearchParams): string {
  const query = params.toString();
  return query ? `#/?${query}` : '#/';
}

/** The latest answer of a read, or why it failed; read again whenever `deps` change. */
export interface Loaded<TData> {
  readonly answer: Answer<TData> | null;
  /** The request failed as a whole, worded for a person. */
  readonly failure: string | null;
  /** Errors that came beside the data, worded for a person. */
  readonly errors: readonly string[];
}

export function useAnswer<TData>(read: () => Promise<Answer<TData>>, deps: readonly unknown[], onAuthError?: (error: ApiError) => void): Loaded<TData> {
  const [loaded, setLoaded] = useState<Loaded<TData>>({ answer: null, failure: null, errors: [] });
  useEffect(() => {
    let current = true;
    read().then(
      (answer) => current && setLoaded({ answer, failure: null, errors: answer.errors.map(describeError) }),
      (error: ApiError) => {
        if (!current) return;
        if (error.code === 'UNAUTHENTICATED') onAuthError?.(error);
        setLoaded((previous) => ({ ...previous, failure: describeError(error) }));
      },
    );
    return () => {
      current = false;
    };
    // The caller names what the read depends on.
  }, deps);
  return loaded;
}

/** Where a paged list is: its first page, or after / before a cursor. */
export type PagePosition = { readonly after?: string; readonly before?: string };

const FIRST_PAGE: PagePosition = {};

/**
 * The page position of a list filtered by `filterKey`: back on the first page as soon as the
 * filters change, in the same render, so no page is read with a cursor of other filters.
 */
export function usePagePosition(filterKey: string): [PagePosition, (position: PagePosition) => void] {
  const [state, setState] = useState<{ filterKey: string; position: PagePosition }>({ filterKey, position: FIRST_PAGE });
  const position = state.filterKey === filterKey ? state.position : FIRST_PAGE;
  return [position, (next) => setState({ filterKey, position: next })];
}

/** The paging arguments for a page of `size` at `position`. */
export function pageArguments(position: PagePosition, size: number): { first?: number; after?: string; last?: number; before?: string } {
  return position.before ? { last: size, before: position.before } : { first: size, after: position.after };
}
