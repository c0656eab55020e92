// The scenario file: what a set of simulated Proxmox VE servers contains. A cluster (or a
// standalone node when `name` is null) has nodes, guests, pools, users, tokens and custom roles;
// each node listed in `endpoints` gets its own HTTPS server, like pveproxy on each cluster node.
import { z } from 'zod';

const GiB = 1024 ** 3;

const Userid = z.string().regex(/^[^\s:/@!]+@[A-Za-z][A-Za-z0-9._-]*$/, 'expected USER@REALM');
const TokenName = z.string().regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'invalid token id');
const NodeName = z.string().regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'invalid node name');
const PoolId = z.string().regex(/^[A-Za-z][A-Za-z0-9\-_.]*$/, 'invalid pool id');

export const AclSpec = z
  .object({
    path: z.string().startsWith('/'),
    /** A built-in role (Administrator, PVEVMUser, PVEAuditor, …) or one from `roles`. */
    role: z.string().optional(),
    /** Shorthand for an anonymous role with exactly these privileges. */
    privs: z.array(z.string()).optional(),
    propagate: z.boolean().default(true),
  })
  .refine((a) => (a.role === undefined) !== (a.privs === undefined), 'give either role or privs');
export type AclSpec = z.input<typeof AclSpec>;

export const UserSpec = z.object({
  userid: Userid,
  password: z.string().optional(),
  enabled: z.boolean().default(true),
  /** Unix seconds; 0 = never. */
  expire: z.number().int().min(0).default(0),
  acls: z.array(AclSpec).default([]),
});

export const TokenSpec = z.object({
  userid: Userid,
  tokenid: TokenName,
  /** Lowercase UUID; generated when absent. */
  secret: z.string().uuid().optional(),
  privsep: z.boolean().default(true),
  /** Unix seconds; 0 = never. */
  expire: z.number().int().min(0).default(0),
  acls: z.array(AclSpec).default([]),
  comment: z.string().optional(),
});

export const NodeSpec = z.object({
  name: NodeName,
  online: z.boolean().default(true),
  cpus: z.number().int().min(1).default(16),
  memory: z
    .number()
    .int()
    .min(1)
    .default(64 * GiB),
  disk: z
    .number()
    .int()
    .min(1)
    .default(100 * GiB),
  ip: z.string().optional(),
});

/** A snapshot that exists when the simulator starts (in creation order). */
export const SnapshotSpec = z.object({
  /** A configuration ID, as Proxmox requires: a letter, then letters, digits, `-`, `_`. */
  name: z
    .string()
    .max(40)
    .regex(/^[a-z][a-z0-9_-]+$/i, 'snapshot names are configuration IDs (letter first, then letters, digits, - or _)'),
  description: z.string().optional(),
  /** Taken with RAM state (QEMU only): a rollback starts the VM from it. */
  vmstate: z.boolean().default(false),
  /** Parent snapshot; default the one listed before (null: none). A tree, as in Proxmox. */
  parent: z.string().nullable().optional(),
  /** How long ago it was taken; default one day per position from the end. */
  ageHours: z.number().min(0).optional(),
});

/** A backup archive on one of the guest's node's storages. */
export const BackupSpec = z.object({
  storage: z.string().default('local'),
  /** How long ago it was made (its ctime and the time in its file name). */
  ageHours: z.number().min(0).default(24),
  /** vzdump's notes (the first line is what the storage lists); any text. */
  notes: z.string().optional(),
  compress: z.enum(['0', 'lzo', 'gzip', 'zstd']).default('zstd'),
  protected: z.boolean().default(false),
  /** Archive size in bytes; default derived from the guest's disk size. */
  size: z.number().int().min(0).optional(),
});

export const GuestSpec = z.object({
  vmid: z.number().int().min(100).max(999999999),
  type: z.enum(['qemu', 'lxc']),
  node: NodeName,
  /** Anything, including hostile text: Proxmox returns what the config file holds. */
  name: z.string().optional(),
  status: z.enum(['running', 'stopped', 'paused']).default('stopped'),
  template: z.boolean().default(false),
  tags: z.array(z.string()).default([]),
  pool: PoolId.optional(),
  /** HA-managed guest: power actions become hastart/hastop requests. */
  ha: z.boolean().default(false),
  lock: z.string().optional(),
  cpus: z.number().min(1).default(2),
  memory: z
    .number()
    .int()
    .min(16 * 1024 ** 2)
    .default(2 * GiB),
  disk: z
    .number()
    .int()
    .min(1)
    .default(32 * GiB),
  description: z.string().optional(),
  /** Lines every task on this guest logs first, as a hook script's output would (any text). */
  taskLog: z.array(z.string()).default([]),
  /** Every power-action task on this guest fails with this message (any text) as exit status. */
  taskError: z.string().optional(),
  /** `agent: 1` in the config (QEMU guest agent configured). */
  agent: z.boolean().default(false),
  /** Whether the agent answers inside the VM while it runs (default yes). */
  agentRunning: z.boolean().default(true),
  /** Config entries to add or replace, e.g. `{"serial0": "socket", "ostype": "win11"}`. */
  config: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), z.union([z.string(), z.number()])).default({}),
  snapshots: z.array(SnapshotSpec).default([]),
  /** The snapshot the current state descends from (config `parent`); default the last one. */
  currentSnapshot: z.string().optional(),
  backups: z.array(BackupSpec).default([]),
  /** Relay this guest's console to an external VNC server (e.g. QEMU's) instead of the built-in one. */
  bridge: z.object({ host: z.string(), port: z.number().int(), password: z.string().optional() }).optional(),
});

export const EndpointSpec = z.union([NodeName, z.object({ node: NodeName, name: z.string().optional() })]);

export const ClusterSpec = z.object({
  /** Cluster name, or null for a standalone node (which must then have exactly one node). */
  name: z.string().nullable().default(null),
  nodes: z.array(NodeSpec).min(1),
  /** Nodes that get an HTTPS server; default the first node. */
  endpoints: z.array(EndpointSpec).optional(),
  pools: z.array(z.object({ poolid: PoolId, comment: z.string().optional() })).default([]),
  roles: z.record(z.string(), z.array(z.string())).default({}),
  users: z.array(UserSpec).default([]),
  tokens: z.array(TokenSpec).default([]),
  guests: z.array(GuestSpec).default([]),
  /** Password of root@pam for ticket logins; generated when absent. */
  rootPassword: z.string().optional(),
  /** The full-rights token every SimServer reports as `token` (root@pam, no privilege separation). */
  adminToken: z.object({ tokenid: TokenName.default('pve-sim'), secret: z.string().uuid().optional() }).default({
    tokenid: 'pve-sim',
  }),
});

export const Scenario = z
  .object({
    seed: z.number().int().default(1),
    clusters: z.array(ClusterSpec).min(1),
  })
  .superRefine((scenario, ctx) => {
    scenario.clusters.forEach((cluster, ci) => {
      const where = (suffix: string) => ['clusters', ci, suffix];
      const nodes = new Set(cluster.nodes.map((n) => n.name));
      if (nodes.size !== cluster.nodes.length)
        ctx.addIssue({ code: 'custom', path: where('nodes'), message: 'duplicate node name' });
      if (cluster.name === null && cluster.nodes.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: where('nodes'),
          message: 'a standalone node (name null) has exactly one node',
        });
      }
      const pools = new Set(cluster.pools.map((p) => p.poolid));
      const users = new Set(['root@pam', ...cluster.users.map((u) => u.userid)]);
      const vmids = new Set<number>();
      for (const guest of cluster.guests) {
        if (vmids.has(guest.vmid))
          ctx.addIssue({ code: 'custom', path: where('guests'), message: `duplicate vmid ${guest.vmid}` });
        vmids.add(guest.vmid);
        if (!nodes.has(guest.node))
          ctx.addIssue({
            code: 'custom',
            path: where('guests'),
            message: `guest ${guest.vmid}: unknown node ${guest.node}`,
          });
        if (guest.pool && !pools.has(guest.pool))
          ctx.addIssue({
            code: 'custom',
            path: where('guests'),
            message: `guest ${guest.vmid}: unknown pool ${guest.pool}`,
          });
        if (guest.status === 'paused' && guest.type === 'lxc')
          ctx.addIssue({
            code: 'custom',
            path: where('guests'),
            message: `guest ${guest.vmid}: only qemu guests pause`,
          });
        for (const message of snapshotProblems(guest)) {
          ctx.addIssue({ code: 'custom', path: where('guests'), message: `guest ${guest.vmid}: ${message}` });
        }
      }
      for (const token of cluster.tokens) {
        if (!users.has(token.userid))
          ctx.addIssue({
            code: 'custom',
            path: where('tokens'),
            message: `token ${token.tokenid}: unknown user ${token.userid}`,
          });
      }
      for (const endpoint of cluster.endpoints ?? []) {
        const node = typeof endpoint === 'string' ? endpoint : endpoint.node;
        if (!nodes.has(node))
          ctx.addIssue({ code: 'custom', path: where('endpoints'), message: `unknown endpoint node ${node}` });
      }
    });
  });

/** Snapshot names, parents and backups that a real server could not have. */
function snapshotProblems(guest: z.output<typeof GuestSpec>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const reserved = guest.type === 'qemu' ? ['current', 'pending'] : ['current', 'vzdump'];
  for (const snap of guest.snapshots) {
    if (reserved.includes(snap.name.toLowerCase())) problems.push(`snapshot name '${snap.name}' is reserved`);
    if (seen.has(snap.name)) problems.push(`duplicate snapshot '${snap.name}'`);
    if (typeof snap.parent === 'string' && !seen.has(snap.parent)) {
      problems.push(`snapshot '${snap.name}': parent '${snap.parent}' must be listed before it`);
    }
    if (snap.vmstate && guest.type === 'lxc') problems.push(`snapshot '${snap.name}': containers have no RAM state`);
    seen.add(snap.name);
  }
  if (guest.currentSnapshot !== undefined && !seen.has(guest.currentSnapshot)) {
    problems.push(`unknown current snapshot '${guest.currentSnapshot}'`);
  }
  for (const backup of guest.backups) {
    if (backup.storage !== 'local') problems.push(`backups live on storage 'local', not '${backup.storage}'`);
  }
  return problems;
}

export type Scenario = z.input<typeof Scenario>;
export type ParsedScenario = z.output<typeof Scenario>;
export type ClusterSpec = z.output<typeof ClusterSpec>;
export type GuestSpec = z.output<typeof GuestSpec>;
export type NodeSpec = z.output<typeof NodeSpec>;
export type TokenSpec = z.output<typeof TokenSpec>;
export type UserSpec = z.output<typeof UserSpec>;
export type ParsedAcl = z.output<typeof AclSpec>;
export type SnapshotSpec = z.output<typeof SnapshotSpec>;
export type BackupSpec = z.output<typeof BackupSpec>;
