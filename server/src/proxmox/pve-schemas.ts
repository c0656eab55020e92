// Shapes of the Proxmox answers Nexus reads, validated leniently: unknown fields pass, numbers
// that PVE sometimes sends as strings are coerced, and only the fields used are required.
import { z } from 'zod';

const num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i)
    .transform(Number),
]);
const flag = z.union([z.number(), z.boolean(), z.string()]).transform((v) => v === true || v === 1 || v === '1');

export const PveVersion = z.looseObject({
  version: z.string(),
  release: z.string().optional(),
  repoid: z.string().optional(),
});
export type PveVersion = z.infer<typeof PveVersion>;

/** `/access/permissions`: ACL path → privilege → 1 (propagated) or 0. */
export const PvePermissions = z.record(z.string(), z.record(z.string(), z.union([z.number(), z.boolean()])));
export type PvePermissions = z.infer<typeof PvePermissions>;

export const PveClusterResource = z.looseObject({
  id: z.string(),
  type: z.string(),
  node: z.string().optional(),
  vmid: num.optional(),
  name: z.string().optional(),
  status: z.string().optional(),
  template: flag.optional(),
  cpu: num.optional(),
  maxcpu: num.optional(),
  mem: num.optional(),
  maxmem: num.optional(),
  disk: num.optional(),
  maxdisk: num.optional(),
  uptime: num.optional(),
  pool: z.string().optional(),
  tags: z.string().optional(),
  lock: z.string().optional(),
  hastate: z.string().optional(),
});
export const PveClusterResources = z.array(PveClusterResource);
export type PveClusterResource = z.infer<typeof PveClusterResource>;

export const PveNode = z.looseObject({
  node: z.string(),
  status: z.string().optional(),
  ssl_fingerprint: z.string().optional(),
});
export const PveNodes = z.array(PveNode);
