// Route declarations in the shape of apidata.json (path, method name, parameters, permissions,
// proxyto) and the matcher that finds the handler for a request path. Directory indexes list
// their children from the table itself, so they never advertise a path pve-sim does not serve.
import type { AuthId } from '../model/accounts';
import type { ClusterState, NodeState } from '../model/cluster-state';
import type { ParamSchemas, Params } from './param-schema';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type PermissionSpec =
  /** check => ['perm', path, [privs]]: the caller needs every privilege on the path;
   * with `any` (apidata's `any => 1`) one of them is enough. */
  | { check: readonly [path: string, privs: readonly string[]]; any?: true }
  /** Any authenticated caller; the handler filters (lists) or checks itself. */
  | { user: 'all' }
  /** No authentication at all (login). */
  | { user: 'world' };

/** What a handler sees: validated parameters, the caller, and the host that answers. */
export interface ApiContext {
  params: Params;
  auth: AuthId;
  cluster: ClusterState;
  /** The node whose pveproxy answers (the endpoint), where vncproxy listens. */
  local: NodeState;
  /** Names of this path's children in the route table (for directory indexes). */
  children: readonly string[];
}

/** The key a directory index lists its children under (apidata's `links` href). */
export type IndexKey = 'subdir' | 'name' | 'cmd';

/** A result with a `total` beside `data` (task lists and logs). */
export class WithTotal {
  constructor(
    readonly data: unknown,
    readonly total: number,
  ) {}
}

export interface MethodDef {
  /** The method's name in apidata.json, checked by the conformance test. */
  name: string;
  params: ParamSchemas;
  permissions: PermissionSpec;
  proxyto?: 'node';
  /** apidata's `additionalProperties => 1`: unknown parameters are accepted (and ignored). */
  additionalProperties?: true;
  handler(ctx: ApiContext): unknown;
}

export interface RouteDef {
  path: string;
  methods: Partial<Record<HttpMethod, MethodDef>>;
  /** A directory: GET lists the children under this key (apidata's `links` href). */
  index?: IndexKey;
  /** Served but not listed in the parent's index (as vncwebsocket on a real server). */
  unlisted?: true;
}

interface CompiledRoute {
  def: RouteDef;
  segments: string[];
  children: string[];
}

export interface RouteMatch {
  route: RouteDef;
  method: MethodDef | undefined;
  pathParams: Record<string, string>;
  children: readonly string[];
}

export class RouteTable {
  private readonly routes: CompiledRoute[];

  constructor(defs: readonly RouteDef[]) {
    const compiled = defs.map((def) => ({ def, segments: split(def.path), children: [] as string[] }));
    for (const route of compiled) {
      for (const other of compiled) {
        const last = other.segments.at(-1);
        if (
          last !== undefined &&
          !other.def.unlisted &&
          !last.startsWith('{') &&
          other.segments.length === route.segments.length + 1 &&
          route.segments.every((s, i) => other.segments[i] === s)
        ) {
          route.children.push(last);
        }
      }
    }
    // Literal segments win over {param} ones, as in PVE::RESTHandler's lookup.
    this.routes = compiled.sort((a, b) => specificity(b.segments) - specificity(a.segments));
  }

  get all(): readonly RouteDef[] {
    return this.routes.map((r) => r.def);
  }

  match(method: string, path: string): RouteMatch | null {
    const parts = split(path).map(safeDecode);
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const pathParams: Record<string, string> = {};
      const ok = route.segments.every((seg, i) => {
        const part = parts[i] ?? '';
        if (seg.startsWith('{')) {
          pathParams[seg.slice(1, -1)] = part;
          return part !== '';
        }
        return seg === part;
      });
      if (!ok) continue;
      return {
        route: route.def,
        method: route.def.methods[method as HttpMethod],
        pathParams,
        children: route.children,
      };
    }
    return null;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function specificity(segments: readonly string[]): number {
  return segments.reduce((n, s, i) => n + (s.startsWith('{') ? 0 : 2 ** (20 - i)), 0);
}

/** The `[{subdir: …}]` / `[{name: …}]` / `[{cmd: …}]` answer of a directory index. */
export function indexEntries(key: IndexKey, children: readonly string[]): Record<string, string>[] {
  return children.map((c) => ({ [key]: c }));
}
