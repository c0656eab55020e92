// Proxmox API explorer proxy shapes: `ANY /api/tenants/:t/servers/:s/pve/<path>` forwards to that
// server's `/api2/json/<path>` and answers with Proxmox's `data` as is (it is Proxmox's, shown as text).
import { z } from 'zod';
import { model, ServerParams } from './shared';

export const ExplorerParams = ServerParams.extend({ '*': z.string().max(2000) });

/** Scalar parameters only, like the forms of the Proxmox API (booleans are sent as 1/0). */
export const ExplorerValue = z.union([z.string().max(64 * 1024), z.number(), z.boolean()]);
export const ExplorerBody = z.record(z.string().max(100), ExplorerValue).nullish();
export type ExplorerBody = z.infer<typeof ExplorerBody>;

export const ExplorerResult = model('ExplorerResult', {
  /** Proxmox's HTTP status (2xx here; errors come back as the error envelope with the reason as data). */
  status: z.number(),
  data: z.unknown(),
  elapsedMs: z.number(),
});
export type ExplorerResult = z.infer<typeof ExplorerResult>;
