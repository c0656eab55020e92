// Power actions with qemu-server's and pve-container's semantics: checks that fail at once
// (500) versus failures that only show in the task (starting a running VM), HA-managed guests
// whose start/stop only request a state from the HA manager, and reset for QEMU only.
import { handlerError, paramError } from '../http/pve-error';
import type { ApiContext } from '../http/route-table';
import type { ClusterState } from '../model/cluster-state';
import type { GuestType, SimGuest } from '../model/sim-guest';
import { loadGuest } from './guest-lookup';

export const QEMU_ACTIONS = ['start', 'stop', 'shutdown', 'reboot', 'reset', 'suspend', 'resume'] as const;
export const LXC_ACTIONS = ['start', 'stop', 'shutdown', 'reboot', 'suspend', 'resume'] as const;
export type PowerAction = (typeof QEMU_ACTIONS)[number];

const TASK_TYPES: Record<GuestType, Record<PowerAction, string>> = {
  qemu: {
    start: 'qmstart',
    stop: 'qmstop',
    shutdown: 'qmshutdown',
    reboot: 'qmreboot',
    reset: 'qmreset',
    suspend: 'qmsuspend',
    resume: 'qmresume',
  },
  lxc: {
    start: 'vzstart',
    stop: 'vzstop',
    shutdown: 'vzshutdown',
    reboot: 'vzreboot',
    reset: 'vzreset',
    suspend: 'vzsuspend',
    resume: 'vzresume',
  },
};

function startTask(ctx: ApiContext, guest: SimGuest, type: string, work: () => string[] | undefined, user?: string) {
  const { cluster } = ctx;
  const node = cluster.nodes.get(guest.node);
  return cluster.tasks.start({
    node: guest.node,
    nodeBootTime: node?.bootTime ?? 0,
    type,
    id: String(guest.vmid),
    user: user ?? ctx.auth.authid,
    durationMs: cluster.timing.taskDurationMs,
    log: guest.taskLog,
    work: () => {
      if (guest.taskError !== undefined) throw new Error(guest.taskError);
      return work();
    },
  }).upid;
}

function checkLock(guest: SimGuest, skiplock: boolean): void {
  if (guest.lock !== undefined && !skiplock) throw handlerError(`${guest.label} is locked (${guest.lock})`);
}

/** hastart/hastop only ask the HA manager; it applies the state a little later, as root@pam. */
function haRequest(ctx: ApiContext, guest: SimGuest, state: 'started' | 'stopped'): string {
  const { cluster } = ctx;
  const sid = `${guest.type === 'qemu' ? 'vm' : 'ct'}:${guest.vmid}`;
  return startTask(ctx, guest, state === 'started' ? 'hastart' : 'hastop', () => {
    guest.ha.state = state;
    cluster.later(cluster.timing.taskDurationMs, () => haApply(cluster, guest));
    return [`Requesting HA ${state === 'started' ? 'start' : 'stop'} for ${sid}`];
  });
}

function haApply(cluster: ClusterState, guest: SimGuest): void {
  const want = guest.ha.state === 'started';
  if (want === guest.running) return;
  const node = cluster.nodes.get(guest.node);
  cluster.tasks.start({
    node: guest.node,
    nodeBootTime: node?.bootTime ?? 0,
    type: TASK_TYPES[guest.type][want ? 'start' : 'stop'],
    id: String(guest.vmid),
    user: 'root@pam',
    durationMs: cluster.timing.taskDurationMs,
    work: () => {
      guest.setRunning(guest.ha.state === 'started', cluster.now());
      return undefined;
    },
  });
}

export function powerAction(ctx: ApiContext, type: GuestType, action: PowerAction): string {
  const guest = loadGuest(ctx, type);
  const { params, cluster, auth } = ctx;
  const now = () => cluster.now();
  const skiplock = params.skiplock === true;
  if (skiplock && auth.authid !== 'root@pam') throw paramError({ skiplock: 'Only root may use this option.' });
  const notRunning = () => handlerError(`${guest.label} ${guest.vmid} not running`);
  const task = (work: () => void) =>
    startTask(ctx, guest, TASK_TYPES[type][action], () => {
      work();
      return undefined;
    });

  if (type === 'lxc') {
    // pve-container checks the running state before forking the worker: immediate 500s.
    if (action === 'start' && guest.running) throw handlerError(`CT ${guest.vmid} already running`);
    if (action === 'start' && guest.template) throw handlerError("you can't start a CT if it's a template");
    if (action !== 'start' && !guest.running) throw notRunning();
  } else {
    if (['reboot', 'reset', 'suspend', 'resume'].includes(action) && !guest.running) throw notRunning();
    if (guest.paused && action === 'reboot') throw handlerError('VM is paused - cannot reboot');
    if (guest.paused && action === 'shutdown' && params.forceStop !== true) {
      throw handlerError('VM is paused - cannot shutdown');
    }
  }

  if (guest.ha.managed && action === 'start') return haRequest(ctx, guest, 'started');
  if (guest.ha.managed && (action === 'stop' || action === 'shutdown')) return haRequest(ctx, guest, 'stopped');

  switch (action) {
    case 'start':
      // qemu-server fails inside the worker: the API call succeeds, the task fails.
      return task(() => {
        checkLock(guest, skiplock);
        if (guest.template) throw handlerError("you can't start a vm if it's a template");
        if (guest.running) throw handlerError(`VM ${guest.vmid} already running`);
        if (guest.lock === 'suspended') guest.lock = undefined;
        guest.setRunning(true, now());
      });
    case 'stop':
    case 'shutdown':
      return task(() => {
        checkLock(guest, skiplock);
        guest.setRunning(false, now());
      });
    case 'reboot':
    case 'reset':
      return task(() => {
        checkLock(guest, skiplock);
        if (!guest.running) throw notRunning();
        guest.restart(now());
      });
    case 'suspend':
      return task(() => {
        checkLock(guest, skiplock);
        if (params.todisk === true) {
          guest.setRunning(false, now());
          guest.lock = 'suspended';
        } else {
          guest.paused = true;
        }
      });
    case 'resume':
      return task(() => {
        checkLock(guest, skiplock);
        guest.paused = false;
      });
  }
}
