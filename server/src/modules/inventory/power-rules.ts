// Which power action can apply to a guest in a known state, decided before Proxmox is called so
// the user gets a clear 409 instead of a failed task or PVE's terse 500. Unknown states (offline
// node, status not yet seen) are left to Proxmox.
import type { GuestType, VmAction } from '@common/schemas/vms';

export interface GuestState {
  type: GuestType;
  /** QMP state for QEMU (`running`, `paused`, …) or `running`/`stopped`; `unknown` when unknown. */
  status: string;
  template: boolean;
}

/** null when the action may proceed, else the reason it cannot. */
export function whyNotApplicable(action: VmAction, guest: GuestState): string | null {
  const what = guest.type === 'qemu' ? 'VM' : 'container';
  if (action === 'reset' && guest.type === 'lxc') return 'Containers cannot be reset; use reboot or stop';
  if (guest.template) return `A template cannot be powered on or off`;
  const { status } = guest;
  const known = status === 'running' || status === 'stopped' || status === 'paused' || status === 'suspended';
  if (!known) return null;
  const stopped = status === 'stopped';
  // QEMU reports paused (and suspended to RAM) guests as running with qmpstatus paused.
  const paused = guest.type === 'qemu' && (status === 'paused' || status === 'suspended');
  switch (action) {
    case 'start':
      if (paused) return `The ${what} is paused; resume it instead`;
      return stopped ? null : `The ${what} is already running`;
    case 'stop':
      return stopped ? `The ${what} is already stopped` : null;
    case 'shutdown':
    case 'reboot':
      if (stopped) return `The ${what} is not running`;
      return paused ? `The ${what} is paused; resume it first (or stop it)` : null;
    case 'reset':
      return stopped ? `The ${what} is not running` : null;
    case 'suspend':
      if (stopped) return `The ${what} is not running`;
      return paused ? `The ${what} is already paused` : null;
    case 'resume':
      if (stopped) return `The ${what} is not running`;
      // A frozen container still reports `running`, so only QEMU's state is conclusive here.
      return guest.type === 'qemu' && !paused ? `The ${what} is not paused` : null;
  }
}

/** PVE's immediate 500s for the same conditions (pve-container, qemu-server), as text patterns. */
export const NOT_APPLICABLE_PVE = [
  /already running/i,
  /not running/i,
  /is paused - cannot/i,
  /can't start a (vm|ct) if it's a template/i,
];
