import { useEffect, useState } from 'preact/hooks';

/** The current time, renewed every `intervalMs`: for "updated 4 s ago". */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Where the page is: `#/` (the list, with its filters) or `#/batch/<id>`. */
export interface Route {
  readonly batchId: string | null;
  readonly params: URLSearchParams;
}

function readRoute(): Route {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?');
  const match = /^\/batch\/(.+)$/.exec(path);
  return { batchId: match ? decodeURIComponent(match[1]!) : null, params: new URLSearchParams(query) };
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

export function listHref(params: URLSearchParams): string {
  const query = params.toString();
  return query ? `#/?${query}` : '#/';
}
