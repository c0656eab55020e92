// Inventory API shapes (DESIGN.md §6): guests across servers, power actions, Proxmox tasks,
// resource history and node figures. Every string in them came from a Proxmox server: data to be
// rendered as text, never as HTML.
import { z } from 'zod';
import { GuestParams, model, QueryInt, ServerParams, TenantParams, Uuid, Vmid } from './shared';

export const GUEST_TYPES = ['qemu', 'lxc'] as const;
export const GuestType = z.enum(GUEST_TYPES);
export type GuestType = z.infer<typeof GuestType>;

export const VM_ACTIONS = ['start', 'stop', 'shutdown', 'reboot', 'reset', 'suspend', 'resume'] as const;
export const VmAction = z.enum(VM_ACTIONS);
export type VmAction = z.infer<typeof VmAction>;

// --- UPIDs ------------------------------------------------------------------------------------

/** `UPID:node:pid:pstart:starttime:type:id:user:` (PVE::Tools::upid_decode; note the trailing colon). */
const UPID_RE =
  /^UPID:([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]{1,64}):([^:\s]{0,64}):([^:\s]{1,128}):$/;

export interface ParsedUpid {
  node: string;
  pid: number;
  pstart: number;
  /** Unix seconds. */
  starttime: number;
  type: string;
  id: string;
  user: string;
}

export function parseUpid(upid: string): ParsedUpid | null {
  if (upid.length > 400) return null;
  const m = UPID_RE.exec(upid);
  if (!m) return null;
  return {
    node: m[1] ?? '',
    pid: Number.parseInt(m[2] ?? '0', 16),
    pstart: Number.parseInt(m[3] ?? '0', 16),
    starttime: Number.parseInt(m[4] ?? '0', 16),
    type: m[5] ?? '',
    id: m[6] ?? '',
    user: m[7] ?? '',
  };
}

export const Upid = z
  .string()
  .max(400)
  .refine((v) => parseUpid(v) !== null, 'must be a Proxmox task id (UPID:node:pid:pstart:starttime:type:id:user:)');

// --- params and queries -----------------------------------------------------------------------

export { GuestParams };
export const ActionParams = GuestParams.extend({ action: VmAction });
export const TaskParams = ServerParams.extend({ upid: Upid });

/** Actions take no input: no body, or an empty object. */
export const NoBody = z.object({}).strict().nullish();

const csv = (max: number) => z.string().max(max);

export const VmListQuery = z.object({
  /** Server ids, comma-separated. */
  server: csv(50 * 37).optional(),
  /** Statuses, comma-separated (running, stopped, paused, unknown, …). */
  status: csv(200).optional(),
  /** Guests carrying this tag. */
  tag: z.string().max(64).optional(),
  type: GuestType.optional(),
  /** Case-insensitive substring of the name, or the VMID. */
  q: z.string().max(100).optional(),
});
export type VmListQuery = z.infer<typeof VmListQuery>;

export const RRD_TIMEFRAMES = ['hour', 'day', 'week'] as const;
export const RrdQuery = z.object({
  timeframe: z.enum(RRD_TIMEFRAMES).default('hour'),
  cf: z.enum(['AVERAGE', 'MAX']).default('AVERAGE'),
  /** Most points returned; longer series are averaged (or maxed) into this many buckets. */
  points: QueryInt(10, 500, 70),
});
export type RrdQuery = z.infer<typeof RrdQuery>;

// --- responses --------------------------------------------------------------------------------

export const GuestAbilities = z.object({
  console: z.enum(['interactive', 'view-only', 'none']),
  power: z.boolean(),
  snapshot: z.boolean(),
  backup: z.boolean(),
  /** The most the caller's share links of this guest may give (their console, the tenant's
   * `consoleSharing`): `none` when they may not share it. */
  share: z.enum(['none', 'view', 'control']),
});

const n = z.number().nullable();
/** Usage figures guests and nodes share (null where Proxmox did not say). */
const usageFields = { cpu: n, maxcpu: n, mem: n, maxmem: n, disk: n, maxdisk: n, uptime: n };

export const Guest = model('Guest', {
  serverId: z.string(),
  node: z.string(),
  vmid: z.number(),
  type: GuestType,
  name: z.string().nullable(),
  /** QMP state for QEMU (`running`, `paused`, …), `running`/`stopped` for containers, `unknown`
   * when the guest's node is offline. */
  status: z.string(),
  ...usageFields,
  tags: z.array(z.string()),
  template: z.boolean(),
  pool: z.string().nullable(),
  lock: z.string().nullable(),
  hastate: z.string().nullable(),
  /** The node that holds this guest cannot be reached; the figures are missing. */
  nodeOffline: z.boolean(),
  can: GuestAbilities,
});
export type Guest = z.infer<typeof Guest>;

export const FetchError = z.object({ code: z.string(), message: z.string() });
export type FetchError = z.infer<typeof FetchError>;

export const ServerFetchStatus = model('ServerFetchStatus', {
  serverId: z.string(),
  name: z.string(),
  ok: z.boolean(),
  error: FetchError.nullable(),
  /** When this answer was obtained from Proxmox; null when it never was. */
  fetchedAt: z.string().nullable(),
  /** Served from the previous fetch while a refresh is still under way. */
  stale: z.boolean(),
  /** Nodes whose guests report `unknown` (offline, or not reachable from the answering node). */
  offlineNodes: z.array(z.string()),
});
export type ServerFetchStatus = z.infer<typeof ServerFetchStatus>;

export const GuestList = model('GuestList', { vms: z.array(Guest), servers: z.array(ServerFetchStatus) });
export type GuestList = z.infer<typeof GuestList>;

export const GuestDetail = Guest.extend({
  /** QEMU's QMP state (`running`, `paused`, `prelaunch`, …); null for containers. */
  qmpstatus: z.string().nullable(),
  ha: z.object({ managed: z.boolean(), state: z.string().nullable() }),
  agent: z.boolean(),
  cpus: n,
  netin: n,
  netout: n,
  diskread: n,
  diskwrite: n,
  pid: n,
  fetchedAt: z.string(),
  /** The tenant's preferred console for this type of guest (setting `defaultConsole`). */
  defaultConsole: z.enum(['vnc', 'terminal']),
}).meta({ id: 'GuestDetail' });
export type GuestDetail = z.infer<typeof GuestDetail>;

export const VmActionResult = model('VmActionResult', { upid: z.string(), status: z.enum(['running', 'stopped']) });
export type VmActionResult = z.infer<typeof VmActionResult>;

export const TaskStatus = model('TaskStatus', {
  upid: z.string(),
  node: z.string(),
  type: z.string(),
  id: z.string(),
  user: z.string(),
  status: z.enum(['running', 'stopped']),
  /** `OK`, `WARNINGS: n`, or Proxmox's error text; null while running. */
  exitstatus: z.string().nullable(),
  /** true for OK and warnings; null while running. */
  ok: z.boolean().nullable(),
  starttime: z.string().nullable(),
});
export type TaskStatus = z.infer<typeof TaskStatus>;

export const RrdPoint = z.object({
  /** Unix seconds. */
  time: z.number(),
  cpu: n,
  maxcpu: n,
  mem: n,
  maxmem: n,
  disk: n,
  maxdisk: n,
  netin: n,
  netout: n,
  diskread: n,
  diskwrite: n,
});
export type RrdPoint = z.infer<typeof RrdPoint>;

export const RrdData = model('RrdData', {
  timeframe: z.enum(RRD_TIMEFRAMES),
  cf: z.enum(['AVERAGE', 'MAX']),
  points: z.array(RrdPoint),
});
export type RrdData = z.infer<typeof RrdData>;

export const NodeInfo = model('NodeInfo', {
  node: z.string(),
  status: z.enum(['online', 'offline', 'unknown']),
  ...usageFields,
  /** The node's Proxmox VE version (`9.0.3`); null when it could not be read. */
  version: z.string().nullable(),
});
export type NodeInfo = z.infer<typeof NodeInfo>;

export const NodeStorage = z.object({
  node: z.string(),
  storage: z.string(),
  type: z.string().nullable(),
  content: z.array(z.string()),
  total: n,
  used: n,
  avail: n,
  shared: z.boolean(),
  active: z.boolean(),
});
export const ServerStorages = model('ServerStorages', {
  storages: z.array(NodeStorage),
  /** Nodes whose storages could not be read (offline, or an error), with why. */
  unreadable: z.array(z.object({ node: z.string(), message: z.string() })),
});
export type ServerStorages = z.infer<typeof ServerStorages>;

export const ServerNodes = z.object({ nodes: z.array(NodeInfo), fetchedAt: z.string() });
export type ServerNodes = z.infer<typeof ServerNodes>;

// --- snapshots and bulk actions (DESIGN.md §9 "Guests beyond power") -------------------------

/** Proxmox's snapshot names (pve-configid, at most 40): a letter, then letters, digits, - or _. */
export const SnapshotName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]+$/, 'must start with a letter and use only letters, digits, - and _ (2–40)')
  .max(40)
  .refine((v) => v !== 'current' && v.toLowerCase() !== 'pending' && v !== 'vzdump', 'is a name Proxmox reserves');

export const SnapshotParams = GuestParams.extend({ name: SnapshotName });

export const Snapshot = model('Snapshot', {
  name: z.string(),
  description: z.string(),
  /** Unix seconds; null for "now". */
  snaptime: z.number().nullable(),
  /** Whether the snapshot holds the RAM state (QEMU only). */
  vmstate: z.boolean(),
  parent: z.string().nullable(),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const SnapshotList = z.object({
  snapshots: z.array(Snapshot),
  /** Which snapshot the guest runs from now ("NOW" in Proxmox's tree). */
  current: z.object({ parent: z.string().nullable() }),
});
export type SnapshotList = z.infer<typeof SnapshotList>;

export const CreateSnapshotBody = z
  .object({
    name: SnapshotName,
    description: z
      .string()
      .max(8 * 1024)
      .optional(),
    /** Save the RAM state too (running QEMU guests). */
    vmstate: z.boolean().optional(),
  })
  .strict();
export type CreateSnapshotBody = z.infer<typeof CreateSnapshotBody>;

export const BULK_ACTIONS = ['start', 'shutdown', 'reboot', 'stop'] as const;
export const BulkActionParams = TenantParams.extend({ action: z.enum(BULK_ACTIONS) });
export const BulkActionBody = z
  .object({
    guests: z
      .array(z.object({ serverId: Uuid, vmid: Vmid }).strict())
      .min(1)
      .max(500),
  })
  .strict();
export const BulkActionResult = model('BulkActionResult', {
  results: z.array(
    z.object({
      serverId: z.string(),
      vmid: z.number(),
      ok: z.boolean(),
      upid: z.string().optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});
export type BulkActionResult = z.infer<typeof BulkActionResult>;

// --- the guest page's depth: hardware, addresses, task history --------------------------------

export const GuestHardware = model('GuestHardware', {
  ostype: z.string().nullable(),
  /** Devices in boot order (`order=scsi0;ide2;net0`). */
  bootOrder: z.array(z.string()),
  cores: n,
  sockets: n,
  memoryMiB: n,
  onboot: z.boolean(),
  protection: z.boolean(),
  nics: z.array(
    z.object({
      id: z.string(),
      model: z.string().nullable(),
      mac: z.string().nullable(),
      bridge: z.string().nullable(),
      vlan: z.number().nullable(),
      firewall: z.boolean(),
      /** Containers: the interface name inside and its configured address. */
      name: z.string().nullable(),
      ip: z.string().nullable(),
    }),
  ),
  disks: z.array(
    z.object({
      id: z.string(),
      storage: z.string().nullable(),
      volume: z.string(),
      size: z.string().nullable(),
      media: z.string().nullable(),
    }),
  ),
  /** Proxmox's `description` (markdown there): shown as text. */
  notes: z.string(),
  /** A VM's serial ports (`serial0` …): each can be a text console. */
  serialPorts: z.array(z.string()),
});
export type GuestHardware = z.infer<typeof GuestHardware>;

export const GuestInterfaces = model('GuestInterfaces', {
  /** Where the addresses come from: the QEMU guest agent, or the container's namespace. */
  source: z.enum(['agent', 'lxc']),
  /** Why there are none (no agent configured, not running, agent not answering); null when read. */
  unavailable: z.string().nullable(),
  interfaces: z.array(
    z.object({
      name: z.string(),
      mac: z.string().nullable(),
      addresses: z.array(z.object({ family: z.enum(['ipv4', 'ipv6']), address: z.string(), prefix: n })),
    }),
  ),
});
export type GuestInterfaces = z.infer<typeof GuestInterfaces>;

export const GuestTask = z.object({
  upid: z.string(),
  type: z.string(),
  user: z.string(),
  status: z.enum(['running', 'stopped']),
  exitstatus: z.string().nullable(),
  ok: z.boolean().nullable(),
  starttime: z.string(),
  endtime: z.string().nullable(),
});
export const GuestTasks = model('GuestTasks', { tasks: z.array(GuestTask) });
export type GuestTasks = z.infer<typeof GuestTasks>;

export const TaskLog = model('TaskLog', { lines: z.array(z.string()), total: z.number(), truncated: z.boolean() });
export type TaskLog = z.infer<typeof TaskLog>;

export const GuestBackup = z.object({
  volid: z.string(),
  storage: z.string(),
  size: n,
  /** ISO time the archive was made. */
  ctime: z.string().nullable(),
  notes: z.string(),
  format: z.string().nullable(),
  protected: z.boolean(),
});
export const GuestBackups = model('GuestBackups', {
  backups: z.array(GuestBackup),
  /** Storages that could not be read (name and why); the rest are listed. */
  unreadable: z.array(z.object({ storage: z.string(), message: z.string() })),
});
export type GuestBackups = z.infer<typeof GuestBackups>;
