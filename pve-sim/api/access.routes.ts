// /access: ticket login (cookie + CSRF token) and /access/permissions, the caller's effective
// privileges per path, which is how a broker can tell exactly which right a token lacks.

import { PveError, permissionError } from '../http/pve-error';
import { indexEntries, type RouteDef } from '../http/route-table';
import type { AuthId } from '../model/accounts';
import type { ClusterState } from '../model/cluster-state';
import type { PrivSet } from '../model/privileges';

/** 1 when the privilege propagates to child paths, else 0 — the API's representation. */
function privObject(privs: PrivSet): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [priv, propagate] of [...privs].sort(([a], [b]) => a.localeCompare(b))) out[priv] = propagate ? 1 : 0;
  return out;
}

function parseAuthId(authid: string): AuthId {
  const bang = authid.indexOf('!');
  return bang < 0
    ? { authid, userid: authid, token: null }
    : { authid, userid: authid.slice(0, bang), token: authid.slice(bang + 1) };
}

/** RPCEnvironment::get_effective_permissions: default top paths, every ACL path, pool members. */
function effectivePermissions(cluster: ClusterState, who: AuthId): Record<string, Record<string, number>> {
  const paths = new Set(['/', '/access', '/access/groups', '/mapping', '/nodes', '/pool', '/sdn', '/storage', '/vms']);
  for (const path of cluster.accounts.aclPaths()) paths.add(path);
  for (const pool of cluster.pools.keys()) paths.add(`/pool/${pool}`);
  for (const guest of cluster.guests.values()) if (guest.pool) paths.add(`/vms/${guest.vmid}`);
  const out: Record<string, Record<string, number>> = {};
  for (const path of [...paths].sort()) {
    const privs = permissionsAt(cluster, who, path);
    if (privs.size > 0) out[path] = privObject(privs);
  }
  return out;
}

function permissionsAt(cluster: ClusterState, who: AuthId, path: string): PrivSet {
  const vmid = /^\/vms\/(\d+)$/.exec(path)?.[1];
  return cluster.accounts.permissions(who, path, vmid ? cluster.guests.get(Number(vmid))?.pool : undefined);
}

/** The `cap` of a login answer: what the GUI may show per area. */
function capabilities(cluster: ClusterState, who: AuthId): Record<string, Record<string, number>> {
  const area = (path: string, prefix: string) => {
    const out: Record<string, number> = {};
    for (const [priv] of permissionsAt(cluster, who, path)) if (priv.startsWith(prefix)) out[priv] = 1;
    return out;
  };
  return {
    vms: area('/vms', 'VM.'),
    storage: area('/storage', 'Datastore.'),
    access: { ...area('/access', 'User.'), ...area('/access', 'Group.'), ...area('/access', 'Permissions.') },
    nodes: area('/nodes', 'Sys.'),
    dc: { ...area('/', 'Sys.'), ...area('/', 'Realm.'), ...area('/', 'SDN.') },
    sdn: area('/sdn', 'SDN.'),
    mapping: area('/mapping', 'Mapping.'),
  };
}

export const accessRoutes: RouteDef[] = [
  {
    path: '/access',
    index: 'subdir',
    methods: {
      GET: {
        name: 'index',
        params: {},
        permissions: { user: 'all' },
        handler: (ctx) => indexEntries('subdir', ctx.children),
      },
    },
  },
  {
    path: '/access/ticket',
    methods: {
      // "Dummy. Useful for formatters which want to provide a login page."
      GET: { name: 'get_ticket', params: {}, permissions: { user: 'world' }, handler: () => null },
      POST: {
        name: 'create_ticket',
        params: {
          'new-format': { type: 'boolean', optional: 1, default: 1 },
          otp: { type: 'string', optional: 1 },
          password: { type: 'string' },
          path: { type: 'string', optional: 1, maxLength: 64, requires: 'privs' },
          privs: { type: 'string', optional: 1, maxLength: 64, format: 'pve-priv-list', requires: 'path' },
          realm: { type: 'string', optional: 1, maxLength: 32, format: 'pve-realm' },
          'tfa-challenge': { type: 'string', optional: 1 },
          username: { type: 'string', maxLength: 64 },
        },
        permissions: { user: 'world' },
        handler: ({ params, cluster }) => {
          let username = String(params.username);
          if (params.realm !== undefined && !username.includes('@')) username = `${username}@${params.realm}`;
          const who = cluster.accounts.login(username, String(params.password));
          if (params.path !== undefined && params.privs !== undefined) {
            // Ticket verification mode: checks the privileges instead of issuing a ticket.
            const have = permissionsAt(cluster, who, String(params.path));
            const wanted = String(params.privs)
              .split(/[,;\s]+/)
              .filter(Boolean);
            if (!wanted.every((p) => have.has(p))) throw new PveError(401, 'authentication failure\n');
            return { username };
          }
          const result: Record<string, unknown> = {
            username,
            ticket: cluster.accounts.createTicket(username),
            CSRFPreventionToken: cluster.accounts.csrfToken(username),
            cap: capabilities(cluster, who),
          };
          if (cluster.name) result.clustername = cluster.name;
          return result;
        },
      },
    },
  },
  {
    path: '/access/permissions',
    methods: {
      GET: {
        name: 'permissions',
        params: {
          path: { type: 'string', optional: 1 },
          userid: {
            type: 'string',
            optional: 1,
            pattern: '[^\\s:/]+@[A-Za-z][A-Za-z0-9.\\-_]+(?:![A-Za-z][A-Za-z0-9.\\-_]+)?',
          },
        },
        permissions: { user: 'all' },
        handler: ({ params, auth, cluster }) => {
          let who = auth;
          if (params.userid !== undefined && params.userid !== auth.authid) {
            const target = parseAuthId(String(params.userid));
            // Own tokens are always allowed; anyone else needs Sys.Audit on /access.
            const ownToken = auth.token === null && target.userid === auth.userid;
            if (!ownToken && !cluster.accounts.permissions(auth, '/access').has('Sys.Audit')) {
              throw permissionError('/access', ['Sys.Audit']);
            }
            who = target;
          }
          if (params.path !== undefined) {
            const path = String(params.path);
            return { [path]: privObject(permissionsAt(cluster, who, path)) };
          }
          return effectivePermissions(cluster, who);
        },
      },
    },
  },
];
