// POST /nodes/{node}/vzdump with pve-manager's semantics (PVE/API2/VZDump.pm, PVE/VZDump.pm):
// parameter and permission checks in the call, then one `vzdump` task for the guests of this node
// that logs like vzdump, locks each guest (`lock: backup`) while its archive is written, and adds
// the archive (with notes) to the storage. Guests on other nodes are skipped silently; when none
// is left the call answers `OK` instead of a UPID, as the real one does.
import { randomUUID } from 'node:crypto';
import { splitList } from '../http/param-schema';
import { PveError, paramError, permissionError } from '../http/pve-error';
import type { ApiContext } from '../http/route-table';
import type { NodeState } from '../model/cluster-state';
import { configVolumes } from '../model/guest-config';
import type { SimGuest } from '../model/sim-guest';
import { backupSize, type Compression, findStorage, newBackup } from '../model/storage';
import type { WorkerContext } from '../model/tasks';

const GiB = 1024 ** 3;

/** verify_notes_template: only {{cluster}}, {{guestname}}, {{node}}, {{vmid}} and the escapes
 * `\n` and `\\`; the error texts are vzdump's. */
export function notesTemplateProblem(template: string): string | null {
  if (template.includes('\n')) return 'contains a line feed\n';
  const problems: string[] = [];
  for (const m of template.matchAll(/\\(.)/g)) {
    if (!/^[n\\]$/.test(m[1] ?? '')) problems.push(`escape sequence '\\${m[1]}' at char ${m.index}`);
  }
  for (const m of template.matchAll(/\{\{([^\s{}]+)\}\}/g)) {
    const name = m[1] ?? '';
    if (!/^(cluster|guestname|node|vmid)$/.test(name)) {
      problems.push(`variable '${name}' at char ${m.index + m[0].length - name.length}`);
    }
  }
  return problems.length > 0 ? `found unknown: ${problems.join(', ')}\n` : null;
}

function renderNotes(template: string, vars: Record<string, string>): string {
  return template
    .replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch))
    .replace(/\{\{(cluster|guestname|node|vmid)\}\}/g, (_, name: string) => vars[name] ?? '');
}

/** PVE::VZDump::Common::command_line: `vzdump <vmids>` and every other option. */
function commandLine(raw: Record<string, unknown>): string {
  let cmd = 'vzdump';
  if (raw.vmid !== undefined) cmd += ` ${splitList(String(raw.vmid)).join(' ')}`;
  const quote = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'"'"'`)}'`);
  for (const key of Object.keys(raw).sort()) {
    if (key === 'vmid' || key === 'stdout') continue;
    const value = raw[key];
    if (value === undefined || value === '') continue;
    const values = Array.isArray(value)
      ? value.map(String)
      : [typeof value === 'boolean' ? (value ? '1' : '0') : String(value)];
    for (const v of values) cmd += ` --${key} ${quote(v)}`;
  }
  return cmd;
}

/** strftime("%F %H:%M:%S") in the node's time zone (UTC here). */
function logTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** PVE::VZDump::format_size */
function formatSize(bytes: number): string {
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.floor(kb)}KB`;
  const mb = kb / 1024;
  if (mb < 1024) return `${Math.floor(mb)}MB`;
  return `${(mb / 1024).toFixed(2)}GB`;
}

/** render_bytes as the QEMU progress lines use it. */
function renderBytes(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** format_time: HH:MM:SS */
function duration(seconds: number): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(seconds / 3600))}:${p(Math.floor((seconds % 3600) / 60))}:${p(seconds % 60)}`;
}

interface BackupJob {
  storage: string;
  mode: 'snapshot' | 'suspend' | 'stop';
  compress: Compression;
  notesTemplate: string | undefined;
  protected: boolean;
  all: boolean;
}

function checkParams(ctx: ApiContext): void {
  const { params, auth, cluster } = ctx;
  if (params.stdout === true) throw paramError({ stdout: 'option is only allowed on the command line interface.' });
  const can = (path: string, priv: string) => cluster.accounts.permissions(auth, path).has(priv);
  if (auth.authid !== 'root@pam') {
    for (const key of ['tmpdir', 'dumpdir', 'script', 'job-id']) {
      if (params[key] !== undefined) throw paramError({ [key]: 'Only root may set this option.' });
    }
    if (['bwlimit', 'ionice', 'performance'].some((k) => params[k] !== undefined) && !can('/', 'Sys.Modify')) {
      throw permissionError('/', ['Sys.Modify']);
    }
    const storage = params.dumpdir === undefined ? String(params.storage ?? 'local') : undefined;
    if (params['prune-backups'] !== undefined && storage && !can(`/storage/${storage}`, 'Datastore.Allocate')) {
      throw permissionError(`/storage/${storage}`, ['Datastore.Allocate']);
    }
  }
  // verify_vzdump_parameters
  if (params.all === true && params.vmid !== undefined)
    throw paramError({ all: "option conflicts with option 'vmid'" });
  if (params.exclude !== undefined && params.vmid !== undefined) {
    throw paramError({ exclude: "option conflicts with option 'vmid'" });
  }
  if (params.pool !== undefined && params.vmid !== undefined)
    throw paramError({ pool: "option conflicts with option 'vmid'" });
  const template = params['notes-template'];
  if (template !== undefined) {
    const problem = notesTemplateProblem(String(template));
    if (problem) throw paramError({ 'notes-template': problem });
  }
  const all = params.all === true || (params.exclude !== undefined && params.pool === undefined);
  if (!(all || params.stop === true || params.pool !== undefined) && params.vmid === undefined) {
    throw paramError({ vmid: 'property is missing' });
  }
}

/** get_included_guests: the guests the job names, those of this node first. Unknown vmids stay
 * in (they fail visibly in the task). */
function includedGuests(ctx: ApiContext, all: boolean): { local: number[]; skipped: number[] } {
  const { params, cluster } = ctx;
  let vmids: number[];
  if (params.pool !== undefined) {
    vmids = cluster
      .sortedGuests()
      .filter((g) => g.pool === params.pool)
      .map((g) => g.vmid);
  } else if (params.vmid !== undefined) {
    vmids = splitList(String(params.vmid)).map(Number);
  } else if (all) {
    const excluded = new Set(splitList(String(params.exclude ?? '')).map(Number));
    vmids = cluster
      .sortedGuests()
      .map((g) => g.vmid)
      .filter((v) => !excluded.has(v));
  } else {
    vmids = [];
  }
  const local: number[] = [];
  const skipped: number[] = [];
  for (const vmid of [...new Set(vmids)].sort((a, b) => a - b)) {
    const guest = cluster.guests.get(vmid);
    if (!guest || guest.node === params.node) local.push(vmid);
    else skipped.push(vmid);
  }
  return { local, skipped };
}

export function vzdump(ctx: ApiContext): string {
  const { params, cluster, auth } = ctx;
  checkParams(ctx);
  const all = params.all === true || (params.exclude !== undefined && params.pool === undefined);
  const { local, skipped } = includedGuests(ctx, all);
  // "silent exit if specified VMs run on other nodes"
  if (local.length === 0 && !all) return 'OK';
  const storage = params.dumpdir === undefined ? String(params.storage ?? 'local') : undefined;
  if (
    storage !== undefined &&
    !cluster.accounts.permissions(auth, `/storage/${storage}`).has('Datastore.AllocateSpace')
  ) {
    throw permissionError(`/storage/${storage}`, ['Datastore.AllocateSpace']);
  }
  const node = cluster.nodes.get(String(params.node)) as NodeState;
  const job: BackupJob = {
    storage: storage ?? 'local',
    mode: (params.mode ?? 'snapshot') as BackupJob['mode'],
    compress: (params.compress ?? '0') as Compression,
    notesTemplate: params['notes-template'] === undefined ? undefined : String(params['notes-template']),
    protected: params.protected === true,
    all,
  };
  const raw: Record<string, unknown> = { ...params };
  const command = commandLine(raw);
  return cluster.tasks.spawn(
    {
      node: node.name,
      nodeBootTime: node.bootTime,
      type: 'vzdump',
      id: local.length === 1 ? String(local[0]) : '',
      user: auth.authid,
    },
    async (w) => {
      // PVE::VZDump->new: the storage must exist and take backups.
      if (params.storage !== undefined && params.dumpdir !== undefined) {
        throw new Error("cannot use options 'storage' and 'dumpdir' at the same time");
      }
      const def = findStorage(job.storage);
      if (!def) {
        throw new Error(
          `could not activate storage '${job.storage}': storage '${job.storage}' does not exist\n` +
            `could not get storage information for '${job.storage}': storage '${job.storage}' does not exist`,
        );
      }
      if (!def.content.includes('backup')) {
        throw new Error(
          `could not get storage information for '${job.storage}': can't use storage '${job.storage}' for backups - wrong content type`,
        );
      }
      w.log(`INFO: starting new backup job: ${command}`);
      if (skipped.length > 0) w.log(`INFO: skip external VMs: ${skipped.join(', ')}`);
      // exec_backup: without `all`, a guest the caller may not back up ends the job.
      const guests: (SimGuest | number)[] = [];
      for (const vmid of local) {
        const guest = cluster.guests.get(vmid);
        if (guest) {
          if (!cluster.accounts.permissions(auth, `/vms/${vmid}`, guest.pool).has('VM.Backup')) {
            if (job.all) continue;
            throw new PveError(403, `Permission check failed (/vms/${vmid}, VM.Backup)`);
          }
          guests.push(guest);
        } else {
          guests.push(vmid);
        }
      }
      let errors = 0;
      for (const guest of guests) {
        if (!(await backupGuest(ctx, node, job, guest, w))) errors++;
      }
      if (errors > 0) {
        w.log('INFO: Backup job finished with errors');
        throw new Error('job errors');
      }
      w.log('INFO: Backup job finished successfully');
    },
  ).upid;
}

/** exec_backup_task for one guest; false when it failed (the job goes on with the next one). */
async function backupGuest(
  ctx: ApiContext,
  node: NodeState,
  job: BackupJob,
  guest: SimGuest | number,
  w: WorkerContext,
): Promise<boolean> {
  const { cluster } = ctx;
  const started = cluster.now();
  const vmid = typeof guest === 'number' ? guest : guest.vmid;
  const info = (line: string) => w.log(`INFO: ${line}`);
  let locked = false;
  let restart: 'resume' | 'start' | null = null;
  try {
    if (typeof guest === 'number') throw new Error(`unable to find VM '${vmid}'`);
    if (job.mode === 'stop' && guest.ha.managed && guest.ha.state === 'started') {
      throw new Error(
        'Cannot execute a backup with stop mode on a HA managed and enabled Service. Use snapshot mode or disable the Service.',
      );
    }
    info(`Starting Backup of VM ${vmid} (${guest.type})`);
    info(`Backup started at ${logTime(started)}`);
    const running = guest.running;
    info(`status = ${running ? 'running' : 'stopped'}`);
    // lock_vm: set_lock('backup') refuses a guest that already has a lock.
    if (guest.lock !== undefined) throw new Error(`${guest.label} is locked (${guest.lock})`);
    guest.lock = 'backup';
    locked = true;
    const mode = running ? job.mode : 'stop';
    const volumes = configVolumes(guest.hardware);
    if (guest.type === 'qemu') {
      if (guest.name !== undefined) info(`VM Name: ${guest.name}`);
      for (const v of volumes) info(`include disk '${v.key}' '${v.volid}' ${v.sizeGiB}G`);
    } else {
      if (guest.name !== undefined) info(`CT Name: ${guest.name}`);
      for (const v of volumes) {
        info(
          v.key === 'rootfs'
            ? "including mount point rootfs ('/') in backup"
            : `including mount point ${v.key} in backup`,
        );
      }
    }
    info(`backup mode: ${mode}`);
    info('ionice priority: 7');
    const ctime = Math.floor(started / 1000);
    const backup = newBackup(guest, { storage: job.storage, ctime, compress: job.compress, protected: job.protected });
    if (mode === 'stop' && running) {
      info('stopping virtual guest');
      guest.setRunning(false, cluster.now());
      restart = 'start';
    } else if (mode === 'suspend') {
      info('suspending guest');
      if (guest.type === 'qemu') guest.paused = true;
      restart = 'resume';
    } else if (mode === 'snapshot' && guest.type === 'lxc') {
      info("create storage snapshot 'vzdump'");
    }
    info(`creating vzdump archive '/var/lib/vz/dump/${backup.filename}'`);
    if (guest.type === 'qemu') {
      if (!running) info('starting kvm to execute backup task');
      if (mode === 'snapshot' && guest.agent && guest.agentRunning) info("issuing guest-agent 'fs-freeze' command");
      if (mode === 'snapshot' && guest.agent && guest.agentRunning) info("issuing guest-agent 'fs-thaw' command");
      info(`started backup task '${randomUUID()}'`);
      if (!running) info('resuming VM again');
    }
    await w.sleep(cluster.timing.taskDurationMs);
    const total = volumes.reduce((sum, v) => sum + v.sizeGiB * GiB, 0);
    const seconds = Math.max(1, Math.round(cluster.timing.taskDurationMs / 1000));
    if (guest.type === 'qemu') {
      const rate = renderBytes(total / seconds);
      info(`100% (${renderBytes(total)} of ${renderBytes(total)}) in ${seconds}s, read: ${rate}/s, write: ${rate}/s`);
      const zero = Math.floor(total * 0.6);
      info(`backup is sparse: ${renderBytes(zero)} (60%) total zero data`);
      info(`transferred ${renderBytes(total)} in ${seconds} seconds (${rate}/s)`);
      if (!running) info('stopping kvm after backup task');
    } else {
      const written = backupSize(guest, '0');
      info(
        `Total bytes written: ${written} (${renderBytes(written).replace(' ', '')}, ${renderBytes(written / seconds).replace(' ', '')}/s)`,
      );
    }
    info(`archive file size: ${formatSize(backup.size)}`);
    node.backups.push(backup);
    if (job.notesTemplate !== undefined && job.notesTemplate !== '') {
      info('adding notes to backup');
      backup.notes = renderNotes(job.notesTemplate, {
        cluster: cluster.name ?? 'standalone node',
        guestname: guest.name ?? `VM ${vmid}`,
        node: node.name,
        vmid: String(vmid),
      });
    }
    if (job.protected) info('marking backup as protected');
    if (mode === 'snapshot' && guest.type === 'lxc') info("cleanup temporary 'vzdump' snapshot");
    guest.lock = undefined;
    locked = false;
    if (restart === 'resume') {
      info('resume vm');
      guest.paused = false;
      info('guest is online again after <1 seconds');
    } else if (restart === 'start') {
      info('restarting vm');
      guest.setRunning(true, cluster.now());
      info(`guest is online again after ${seconds} seconds`);
    }
    const elapsed = Math.max(1, Math.round((cluster.now() - started) / 1000));
    info(`Finished Backup of VM ${vmid} (${duration(elapsed)})`);
    info(`Backup finished at ${logTime(cluster.now())}`);
    return true;
  } catch (err) {
    const text = err instanceof Error ? err.message.replace(/\n$/, '') : String(err);
    if (typeof guest !== 'number') {
      if (locked) guest.lock = undefined;
      if (restart === 'resume') guest.paused = false;
      if (restart === 'start') guest.setRunning(true, cluster.now());
    }
    w.log(`ERROR: Backup of VM ${vmid} failed - ${text}`);
    info(`Failed at ${logTime(cluster.now())}`);
    return false;
  }
}
