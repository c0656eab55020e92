// What Proxmox says about a guest, turned into bounded, typed data: names, tags and pools are
// controlled by whoever administers the PVE server, so they are cleaned, length-capped and kept
// as plain text; numbers must be finite; an entry without a valid vmid, node or type is dropped.
import type { GuestType } from '@common/schemas/vms';
import { cleanText } from '../../proxmox';

/** A guest as cached per server (no caller-specific fields). */
export interface InventoryGuest {
  serverId: string;
  node: string;
  vmid: number;
  type: GuestType;
  name: string | null;
  status: string;
  cpu: number | null;
  maxcpu: number | null;
  mem: number | null;
  maxmem: number | null;
  disk: number | null;
  maxdisk: number | null;
  uptime: number | null;
  tags: string[];
  template: boolean;
  pool: string | null;
  lock: string | null;
  hastate: string | null;
  nodeOffline: boolean;
}

export const LIMITS = { name: 128, node: 64, status: 32, tag: 64, tags: 32, pool: 64, lock: 32, hastate: 32 } as const;

/** PVE node names are DNS labels. */
const NODE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?$/;

export function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const clean = cleanText(value, max);
  return clean === '' ? null : clean;
}

export function num(value: unknown): number | null {
  const v = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

export function vmidOf(value: unknown): number | null {
  const v = num(value);
  return v !== null && Number.isInteger(v) && v >= 1 && v <= 999_999_999 ? v : null;
}

export function nodeName(value: unknown): string | null {
  return typeof value === 'string' && NODE_NAME.test(value) ? value : null;
}

export function guestType(value: unknown): GuestType | null {
  return value === 'qemu' || value === 'lxc' ? value : null;
}

/** `;`-separated (older servers also use `,` and spaces); each cleaned, de-duplicated, capped. */
export function splitTags(value: unknown): string[] {
  if (typeof value !== 'string' || value === '') return [];
  const out = new Set<string>();
  for (const raw of value.split(/[;,\s]+/)) {
    const tag = text(raw, LIMITS.tag);
    if (tag) out.add(tag);
    if (out.size >= LIMITS.tags) break;
  }
  return [...out];
}

/** One `/cluster/resources?type=vm` entry, or null when it is not a usable guest. */
/** The usage figures guests and nodes share (`/cluster/resources`, `/nodes`). */
export function usage(entry: Record<string, unknown>) {
  return {
    cpu: num(entry.cpu),
    maxcpu: num(entry.maxcpu),
    mem: num(entry.mem),
    maxmem: num(entry.maxmem),
    disk: num(entry.disk),
    maxdisk: num(entry.maxdisk),
    uptime: num(entry.uptime),
  };
}

export function normalizeResource(serverId: string, entry: Record<string, unknown>): InventoryGuest | null {
  const type = guestType(entry.type);
  const vmid = vmidOf(entry.vmid);
  const node = nodeName(entry.node);
  if (!type || vmid === null || !node) return null;
  const status = text(entry.status, LIMITS.status) ?? 'unknown';
  return {
    serverId,
    node,
    vmid,
    type,
    name: text(entry.name, LIMITS.name),
    status,
    ...usage(entry),
    tags: splitTags(entry.tags),
    template: flag(entry.template),
    pool: text(entry.pool, LIMITS.pool),
    lock: text(entry.lock, LIMITS.lock),
    hastate: text(entry.hastate, LIMITS.hastate),
    // /cluster/resources reports `unknown` (without name and figures) for guests of offline nodes.
    nodeOffline: status === 'unknown',
  };
}

export function normalizeResources(serverId: string, entries: readonly Record<string, unknown>[]): InventoryGuest[] {
  const out: InventoryGuest[] = [];
  const seen = new Set<number>();
  for (const entry of entries) {
    const guest = normalizeResource(serverId, entry);
    if (!guest || seen.has(guest.vmid)) continue;
    seen.add(guest.vmid);
    out.push(guest);
  }
  return out.sort((a, b) => a.vmid - b.vmid);
}
