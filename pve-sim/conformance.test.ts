// Conformance with the official schema of the Proxmox VE API (apidata.json from pve-docs, kept in
// pve-sim/schema with its provenance): every method pve-sim serves must exist
// there with the same name, parameters, permission check and proxying, and its answers must carry
// the fields the schema requires, with the declared types and enums.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRouteTable } from './api/routes';
import type { ParamSchema } from './http/param-schema';
import type { HttpMethod, MethodDef, RouteDef } from './http/route-table';
import { type PveSim, startPveSim } from './index';
import type { SimServer } from './sim-server';
import { call } from './test-support/sim-client';

/** The copy kept in the repository (see schema/README.md); PVE_APIDATA points at another one. */
const APIDATA = process.env.PVE_APIDATA ?? fileURLToPath(new URL('./schema/apidata.json', import.meta.url));

interface JsonSchema {
  type?: string;
  optional?: number;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  format?: unknown;
  requires?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: number;
  links?: { href: string; rel: string }[];
}

interface ApiMethod {
  name: string;
  parameters: JsonSchema;
  returns: JsonSchema;
  permissions?: { check?: unknown[]; user?: string };
  proxyto?: string;
}

interface ApiNode {
  path: string;
  info?: Partial<Record<HttpMethod, ApiMethod>>;
  children?: ApiNode[];
}

function loadSchema(): Map<string, ApiNode> {
  if (!existsSync(APIDATA)) {
    throw new Error(`apidata.json not found at ${APIDATA}; set PVE_APIDATA to its location`);
  }
  const nodes = new Map<string, ApiNode>();
  const walk = (list: ApiNode[]) => {
    for (const node of list) {
      nodes.set(node.path, node);
      walk(node.children ?? []);
    }
  };
  walk(JSON.parse(readFileSync(APIDATA, 'utf8')) as ApiNode[]);
  return nodes;
}

const schema = loadSchema();
const routes = buildRouteTable().all.filter((r) => r.path !== '/');
const methods = routes.flatMap((route) =>
  (Object.entries(route.methods) as [HttpMethod, MethodDef][]).map(([method, def]) => ({ route, method, def })),
);

function official(path: string, method: HttpMethod): ApiMethod {
  const info = schema.get(path)?.info?.[method];
  if (!info) throw new Error(`${method} ${path} is not in apidata.json`);
  return info;
}

/** The attributes that decide what a server accepts. */
function paramShape(p: ParamSchema | JsonSchema) {
  return {
    type: p.type,
    optional: Boolean(p.optional),
    enum: p.enum ?? null,
    minimum: p.minimum ?? null,
    maximum: p.maximum ?? null,
    maxLength: p.maxLength ?? null,
    format: typeof p.format === 'string' ? p.format : null,
    // apidata writes patterns as Perl regexes; only their presence is comparable.
    pattern: p.pattern !== undefined,
    requires: typeof p.requires === 'string' ? p.requires : null,
  };
}

describe('declarations match apidata.json', () => {
  it('covers every method pve-sim serves', () => {
    expect(methods.length).toBeGreaterThan(40);
  });

  it.each(methods.map((m) => [`${m.method} ${m.route.path}`, m] as const))('%s', (_label, { route, method, def }) => {
    const api = official(route.path, method);
    expect(def.name).toBe(api.name);
    const ours = Object.fromEntries(Object.entries(def.params).map(([k, v]) => [k, paramShape(v)]));
    const theirs = Object.fromEntries(
      Object.entries(api.parameters.properties ?? {})
        // A non-string `format` describes a property string (e.g. `machine`): pve-sim takes it as text.
        .map(([k, v]) => [k, paramShape(v)]),
    );
    expect(ours).toEqual(theirs);
    expect(def.proxyto).toBe(api.proxyto);
    const perms = def.permissions;
    if ('check' in perms) {
      const any = perms.any ? ['any', 1] : [];
      expect(api.permissions?.check).toEqual(['perm', perms.check[0], perms.check[1], ...any]);
    } else {
      expect(api.permissions?.user).toBe(perms.user);
      expect(api.permissions?.check).toBeUndefined();
    }
  });

  it.each(routes.filter((r) => r.index).map((r) => [r.path, r] as const))('index %s', async (path, route: RouteDef) => {
    const api = official(path, 'GET');
    expect(api.returns.links?.[0]?.href).toBe(`{${route.index}}`);
    const children = new Set((schema.get(path)?.children ?? []).map((c) => c.path));
    const res = await call(sim.servers[0] as SimServer, 'GET', concrete(path), {
      token: (sim.servers[0] as SimServer).token,
    });
    const listed = (res.body.data as Record<string, string>[]).map((e) => `${path}/${e[route.index ?? 'name']}`);
    expect(listed.length).toBeGreaterThan(0);
    for (const child of listed) expect(children.has(child), child).toBe(true);
  });
});

/** Checks a value against a returns schema; returns the problems found. */
function check(value: unknown, s: JsonSchema, at: string): string[] {
  const problems: string[] = [];
  const type = s.type ?? (s.properties ? 'object' : undefined);
  const fail = (what: string) => problems.push(`${at}: ${what} (got ${JSON.stringify(value)?.slice(0, 80)})`);
  switch (type) {
    case 'null':
      if (value !== null) fail('expected null');
      break;
    case 'string':
      if (typeof value !== 'string') fail('expected string');
      else if (s.enum && !s.enum.includes(value)) fail(`not in ${s.enum.join('|')}`);
      break;
    // Perl's JSON output may turn numbers it has used as text into strings: accept both.
    case 'integer':
      if (!(Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value)))) fail('expected integer');
      break;
    case 'number':
      if (!(typeof value === 'number' || (typeof value === 'string' && !Number.isNaN(Number(value)))))
        fail('expected number');
      break;
    // Perl booleans are 0/1.
    case 'boolean':
      if (![0, 1, true, false].includes(value as number)) fail('expected boolean');
      break;
    case 'array':
      if (!Array.isArray(value)) fail('expected array');
      else if (s.items) {
        for (const [i, item] of value.entries()) problems.push(...check(item, s.items, `${at}[${i}]`));
      }
      break;
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        fail('expected object');
        break;
      }
      const obj = value as Record<string, unknown>;
      for (const [key, prop] of Object.entries(s.properties ?? {})) {
        if (obj[key] === undefined) {
          if (!prop.optional) problems.push(`${at}.${key}: required but missing`);
        } else {
          problems.push(...check(obj[key], prop, `${at}.${key}`));
        }
      }
      if (s.additionalProperties === 0) {
        for (const key of Object.keys(obj)) if (!s.properties?.[key]) problems.push(`${at}.${key}: not allowed`);
      }
      break;
    }
  }
  return problems;
}

let sim: PveSim;
let upid = '';

const GUEST: Record<string, string> = { qemu: '100', lxc: '200' };
/** Guests for actions that need a stopped one. */
const STOPPED: Record<string, string> = { qemu: '110', lxc: '210' };
/** Guests whose snapshots the snapshot calls change (rollback stops a guest). */
const SNAPSHOTTED: Record<string, string> = { qemu: '120', lxc: '220' };

function concrete(path: string, action?: string): string {
  const type = /\/(qemu|lxc)\//.exec(path)?.[1] ?? 'qemu';
  const vmid = action === 'start' ? STOPPED[type] : path.includes('/snapshot') ? SNAPSHOTTED[type] : GUEST[type];
  return path
    .replace('{node}', 'pve-a')
    .replace('{vmid}', vmid ?? '100')
    .replace('{snapname}', 'first')
    .replace('{storage}', 'local')
    .replace('{upid}', encodeURIComponent(upid));
}

beforeAll(async () => {
  const running = (vmid: number, type: 'qemu' | 'lxc') => ({ vmid, type, node: 'pve-a', status: 'running' as const });
  sim = await startPveSim({
    authFailDelayMs: 10,
    // Long tasks: no guest changes state while the answers are checked.
    taskDurationMs: 60_000,
    scenario: {
      clusters: [
        {
          name: 'conf',
          nodes: [{ name: 'pve-a' }, { name: 'pve-b' }],
          pools: [{ poolid: 'p1', comment: 'pool' }],
          users: [{ userid: 'alice@pve', password: 'alice-pw', acls: [{ path: '/', role: 'PVEAuditor' }] }],
          guests: [
            {
              ...running(100, 'qemu'),
              name: 'vm',
              tags: ['a', 'b'],
              pool: 'p1',
              agent: true,
              config: { serial0: 'socket' },
              backups: [{ notes: 'nightly' }, { ageHours: 48, compress: '0' }],
            },
            { ...running(200, 'lxc'), name: 'ct', ha: true, backups: [{}] },
            {
              ...running(120, 'qemu'),
              snapshots: [
                { name: 'first', description: 'before upgrade' },
                { name: 'second', vmstate: true },
              ],
            },
            { ...running(220, 'lxc'), snapshots: [{ name: 'first' }, { name: 'second' }] },
            { vmid: 110, type: 'qemu', node: 'pve-a', name: 'off', lock: 'backup' },
            { vmid: 210, type: 'lxc', node: 'pve-a', name: 'ct-off' },
            { vmid: 211, type: 'lxc', node: 'pve-a', name: 'ct-template', template: true },
            { vmid: 300, type: 'qemu', node: 'pve-b', status: 'paused' },
          ],
        },
      ],
    },
  });
  const s = sim.servers[0] as SimServer;
  upid = (await call(s, 'POST', '/nodes/pve-a/qemu/100/status/reboot', { token: s.token })).body.data;
});
afterAll(() => sim.close());

describe('answers match the declared returns', () => {
  it.each(methods.map((m) => [`${m.method} ${m.route.path}`, m] as const))('%s', async (_label, { route, method }) => {
    const s = sim.servers[0] as SimServer;
    const action = /\/status\/(\w+)$/.exec(route.path)?.[1];
    let path = concrete(route.path, action);
    const form: Record<string, string> = {};
    let query: Record<string, string> | undefined;
    if (route.path.endsWith('/rrddata')) query = { timeframe: 'hour' };
    if (route.path === '/pools') query = { poolid: 'p1' };
    if (route.path === '/access/ticket' && method === 'POST')
      Object.assign(form, { username: 'alice@pve', password: 'alice-pw' });
    if (route.path.endsWith('/vncwebsocket')) {
      // A node's websocket carries its shell (termproxy); a guest's carries its VNC console.
      const proxyPath = path.replace(/vncwebsocket$/, route.path.includes('{vmid}') ? 'vncproxy' : 'termproxy');
      const proxy = (await call(s, 'POST', proxyPath, { token: s.token })).body.data;
      query = { port: proxy.port, vncticket: proxy.ticket };
    }
    if (route.path.endsWith('/snapshot') && method === 'POST') form.snapname = 'made-here';
    // A stopped, locked guest: the backup task fails, and nothing else changes.
    if (route.path.endsWith('/vzdump')) form.vmid = '110';
    if (route.path === '/nodes/{node}/tasks') path = '/nodes/pve-a/tasks';
    const res = await call(s, method, path, { token: s.token, query, form: method === 'POST' ? form : undefined });
    expect(res.status, `${res.reason} ${res.text.slice(0, 200)}`).toBe(200);
    const problems = check(res.body.data, official(route.path, method).returns, 'data');
    expect(problems).toEqual([]);
  });

  it('the checker itself catches missing fields, wrong types and enum values', () => {
    const returns = official('/nodes/{node}/qemu/{vmid}/status/current', 'GET').returns;
    expect(check({ vmid: 100, status: 'paused', ha: {} }, returns, 'data')).toEqual([
      'data.status: not in stopped|running (got "paused")',
    ]);
    expect(check({ status: 'running', ha: {}, vmid: 'x' }, returns, 'data')).toEqual([
      'data.vmid: expected integer (got "x")',
    ]);
    expect(check({ status: 'running', vmid: 1 }, returns, 'data')).toEqual(['data.ha: required but missing']);
    const proxy = official('/nodes/{node}/qemu/{vmid}/vncproxy', 'POST').returns;
    expect(check({ cert: '', port: 1, ticket: '', upid: '', user: '', extra: 1 }, proxy, 'data')).toEqual([
      'data.extra: not allowed',
    ]);
  });
});
