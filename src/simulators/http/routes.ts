/**
 * A route table: routes declared as data (method and a path template with `{name}` segments, as
 * the vendors' OpenAPI documents write them), matched in the order given. The vendor routes of
 * each simulator and the admin routes of every simulator are tables of this kind.
 */

export interface Route<H> {
  readonly method: string;
  /** Path template with `{name}` segments, as in the vendor's OpenAPI document. */
  readonly template: string;
  readonly handle: H;
}

export interface RouteMatch<H> {
  readonly route: Route<H>;
  /** The template's segments, decoded. */
  readonly params: Readonly<Record<string, string>>;
}

interface CompiledRoute<H> extends Route<H> {
  readonly regex: RegExp;
  readonly names: readonly string[];
}

function compile<H>(route: Route<H>): CompiledRoute<H> {
  const names: string[] = [];
  const source = route.template
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(match[1]);
      return '([^/]+)';
    })
    .join('/');
  return { ...route, regex: new RegExp(`^${source}$`), names };
}

export class RouteTable<H> {
  private readonly routes: readonly CompiledRoute<H>[];

  constructor(routes: readonly Route<H>[]) {
    this.routes = routes.map(compile);
  }

  /** The first route for this method whose template matches the path; null when none does. */
  match(method: string, path: string): RouteMatch<H> | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1] ?? '')));
      return { route, params };
    }
    return null;
  }
}
