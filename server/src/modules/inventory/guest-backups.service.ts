// A guest's backups: the archives on its node's backup storages (newest first, with size and
// notes), and "Back up now" — vzdump of that one guest with the tenant's storage and mode, a task
// followed to its end and audited with the person. Restore is not offered (destructive; later).
import type { GuestBackups, VmActionResult } from '@common/schemas/vms';
import { z } from 'zod';
import type { TenantContext } from '../../http/context';
import { AppError, isAppError } from '../../lib/app-error';
import { pvePath } from '../../proxmox';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import { flag, num, text } from './guest-normalize';
import { type GuestTaskDeps, startGuestTask } from './guest-task';

const Entries = z.array(z.looseObject({})).max(10_000);
const Upid = z.string().max(400);

export interface GuestBackupsDeps extends GuestTaskDeps {
  settings: Pick<TenantSettingsReader, 'get'>;
}

export class GuestBackupsService {
  constructor(private readonly d: GuestBackupsDeps) {}

  async list(ctx: TenantContext, serverId: string, vmid: number): Promise<GuestBackups> {
    const server = await this.d.locator.requireServer(ctx.scope.tenantId, serverId, 'vm.not_found');
    return this.d.locator.onGuest(server, vmid, async (conn, g) => {
      const storages = await conn.get(pvePath`/nodes/${g.node}/storage`, { content: 'backup' }, { schema: Entries });
      const out: GuestBackups = { backups: [], unreadable: [] };
      await Promise.all(
        storages.map(async (s) => {
          const storage = text(s.storage, 64);
          if (!storage) return;
          try {
            const content = await conn.get(
              pvePath`/nodes/${g.node}/storage/${storage}/content`,
              { content: 'backup', vmid },
              { schema: Entries },
            );
            for (const v of content) {
              const volid = text(v.volid, 512);
              if (!volid || num(v.vmid) !== vmid) continue;
              const ctime = num(v.ctime);
              out.backups.push({
                volid,
                storage,
                size: num(v.size),
                ctime: ctime === null ? null : new Date(ctime * 1000).toISOString(),
                notes: typeof v.notes === 'string' ? v.notes.slice(0, 2048) : '',
                format: text(v.format, 32),
                protected: flag(v.protected),
              });
            }
          } catch (err) {
            if (!isAppError(err)) throw err;
            out.unreadable.push({ storage, message: err.message });
          }
        }),
      );
      out.backups.sort((a, b) => (b.ctime ?? '').localeCompare(a.ctime ?? '') || a.volid.localeCompare(b.volid));
      out.unreadable.sort((a, b) => a.storage.localeCompare(b.storage));
      return out;
    });
  }

  /** vzdump of one guest now, to the tenant's backup storage (or the node's first) in its mode. */
  async backupNow(ctx: TenantContext, serverId: string, vmid: number): Promise<VmActionResult> {
    const settings = await this.d.settings.get(ctx.scope.tenantId);
    let storage: string | null = settings.backupStorage;
    return startGuestTask(
      this.d,
      ctx,
      { serverId, vmid },
      {
        action: 'vm.backup_started',
        refused: 'vm.backup_refused',
        details: () => ({ storage, mode: settings.backupMode }),
      },
      async (conn, g) => {
        if (!storage) {
          const storages = await conn.get(
            pvePath`/nodes/${g.node}/storage`,
            { content: 'backup', enabled: true },
            {
              schema: Entries,
            },
          );
          storage = text(storages[0]?.storage, 64);
          if (!storage) throw new AppError('vm.backup_refused', `Node ${g.node} has no storage for backups`);
        }
        return conn.post(
          pvePath`/nodes/${g.node}/vzdump`,
          { vmid: String(vmid), storage, mode: settings.backupMode, compress: 'zstd' },
          { schema: Upid },
        );
      },
    );
  }
}
