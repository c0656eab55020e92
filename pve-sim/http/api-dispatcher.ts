// The request pipeline of pveproxy, in its order: authenticate (401, except the login call) →
// find the method (501) → duplicate parameters (400) → permission check (403) → proxy to the
// guest's node (595 when that node is offline) → parameter verification (400) → handler.
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthId } from '../model/accounts';
import type { ClusterState, NodeState } from '../model/cluster-state';
import { authenticate } from './auth';
import { parseForm } from './form-parse';
import { validateParams } from './param-schema';
import { PveError, paramError, permissionError } from './pve-error';
import { type MethodDef, type RouteTable, WithTotal } from './route-table';

export interface ApiRequest {
  method: string;
  /** Path and query, e.g. /api2/json/nodes?x=1 */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Outcome {
  status: number;
  /** Error text: the reason phrase (first line) and the body's `message`. */
  message?: string;
  data?: unknown;
  errors?: Record<string, string>;
  total?: number;
  /** pveproxy delays every 401. */
  delayMs: number;
  /** Extra response headers (a redirect's Location). */
  headers?: Record<string, string>;
}

const MAX_BODY = 64 * 1024;
const API_PREFIX = '/api2/json';

/** Calls that need no authentication (PVE::HTTPServer::auth_handler's list). */
function isWorldCall(method: string, path: string): boolean {
  return path === '/access/ticket' && (method === 'GET' || method === 'POST');
}

export class ApiDispatcher {
  constructor(
    private readonly table: RouteTable,
    private readonly cluster: ClusterState,
    private readonly local: NodeState,
  ) {}

  async dispatch(req: ApiRequest): Promise<Outcome> {
    try {
      return await this.run(req);
    } catch (err) {
      return this.failure(err);
    }
  }

  private failure(err: unknown): Outcome {
    if (err instanceof PveError) {
      return {
        status: err.status,
        message: err.message,
        ...(err.errors ? { errors: err.errors } : {}),
        delayMs: err.status === 401 ? this.cluster.timing.authFailDelayMs : 0,
      };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { status: 500, message: message.endsWith('\n') ? message : `${message}\n`, delayMs: 0 };
  }

  private async run(req: ApiRequest): Promise<Outcome> {
    const queryAt = req.url.indexOf('?');
    const rawPath = queryAt < 0 ? req.url : req.url.slice(0, queryAt);
    const query = queryAt < 0 ? '' : req.url.slice(queryAt + 1);
    const rel = relativePath(rawPath);
    if (rel === null) throw new PveError(501, `Unsupported format in '${rawPath}'`);
    const method = req.method.toUpperCase();

    const auth: AuthId | null = isWorldCall(method, rel)
      ? null
      : authenticate(req.headers, method, this.cluster.accounts);

    const match = this.table.match(method, rel);
    if (!match?.method) throw new PveError(501, `Method '${method} ${rel}' not implemented`);
    const def = match.method;

    if (req.body.length > MAX_BODY) throw new PveError(413, 'request too large');
    const raw: Record<string, unknown> = { ...readBody(method, req), ...parseForm(query) };
    for (const name of Object.keys(raw)) {
      if (match.pathParams[name] !== undefined) {
        throw new PveError(400, `Parameter verification failed - duplicate parameter '${name}'`);
      }
    }
    Object.assign(raw, match.pathParams);

    const caller = auth ?? { authid: '', userid: '', token: null };
    if (auth) this.checkPermissions(def, auth, raw);
    if (def.proxyto === 'node') this.checkProxyTarget(String(raw.node));

    const { params, errors } = validateParams(def.params, raw, def.additionalProperties === true);
    if (errors) throw paramError(errors);

    const data = await def.handler({
      params,
      auth: caller,
      cluster: this.cluster,
      local: this.local,
      children: match.children,
    });
    if (data instanceof WithTotal) return { status: 200, data: data.data, total: data.total, delayMs: 0 };
    return { status: 200, data: data ?? null, delayMs: 0 };
  }

  /** check_api2_permissions runs on the raw parameters, before they are verified. */
  private checkPermissions(def: MethodDef, auth: AuthId, raw: Record<string, unknown>): void {
    const spec = def.permissions;
    if (!('check' in spec)) return;
    const [template, privs] = spec.check;
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => String(raw[name] ?? ''));
    const vmid = /^\/vms\/(\d+)$/.exec(path)?.[1];
    const pool = vmid ? this.cluster.guests.get(Number(vmid))?.pool : undefined;
    const have = this.cluster.accounts.permissions(auth, path, pool);
    if (spec.any) {
      if (!privs.some((p) => have.has(p))) throw permissionError(path, privs);
      return;
    }
    const missing = privs.find((p) => !have.has(p));
    if (missing !== undefined) throw permissionError(path, [missing]);
  }

  /** proxyto => 'node': another node answers, and it must be reachable. */
  private checkProxyTarget(nodeName: string): void {
    const node = this.cluster.nodes.get(nodeName);
    if (!node) {
      throw new PveError(
        500,
        `hostname lookup '${nodeName}' failed - failed to get address info for: ${nodeName}: Name or service not known\n`,
      );
    }
    if (!node.online) throw new PveError(595, 'No route to host');
  }
}

/** '/api2/json/nodes/' → '/nodes'; '/api2/json' → '/'; other prefixes → null. */
function relativePath(path: string): string | null {
  if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) return null;
  const rel = path.slice(API_PREFIX.length).replace(/\/+$/, '');
  return rel === '' ? '/' : rel;
}

function readBody(method: string, req: ApiRequest): Record<string, unknown> {
  if ((method !== 'POST' && method !== 'PUT') || req.body.length === 0) return {};
  const type = String(req.headers['content-type'] ?? '');
  const text = req.body.toString('utf8');
  if (!/application\/json/i.test(type)) return parseForm(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PveError(400, 'malformed JSON string\n');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PveError(400, 'Parameter verification failed - not a JSON object\n');
  }
  return parsed as Record<string, unknown>;
}
