// Which program a termproxy session runs, and what it says when it cannot run: the container's
// console (lxc-console refuses a stopped container), a VM's serial port (`qm terminal` checks the
// port and that the VM runs), a node's shell (/bin/login, or a root shell for root@pam). A target
// on another node goes through ssh, which fails when that node is unreachable.
import type { ClusterState, NodeState } from '../model/cluster-state';
import type { SimGuest } from '../model/sim-guest';
import { GUEST_KERNEL, PVE_KERNEL } from '../model/versions';
import { LoginProgram } from './login-program';
import { SimShell } from './sim-shell';
import type { TerminalIo, TerminalProgram } from './terminal-program';
import type { TerminalTarget } from './terminal-target';

const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** The guest's host name: its name when that is a valid one (Proxmox requires a DNS name; a
 * scenario may hold anything), else `vm<vmid>` / `ct<vmid>`. */
export function guestHostname(guest: SimGuest): string {
  if (guest.name !== undefined && HOSTNAME.test(guest.name)) return guest.name;
  return `${guest.type === 'qemu' ? 'vm' : 'ct'}${guest.vmid}`;
}

/** A command that prints its error and exits, as a failing CLI on the pty does. */
class FailingCommand implements TerminalProgram {
  constructor(
    private readonly io: TerminalIo,
    private readonly lines: readonly string[],
  ) {}
  start(): void {
    for (const line of this.lines) this.io.output(`${line}\r\n`);
    this.io.exit();
  }
  input(): void {}
  resize(): void {}
}

/** qm terminal's choice of port and its refusals (qemu-server, PVE/CLI/qm.pm). */
function serialCheck(guest: SimGuest, iface: string | undefined): { iface: string } | { error: string } {
  if (iface !== undefined) {
    const value = guest.serialPort(iface);
    if (value === undefined) return { error: `serial interface '${iface}' is not configured` };
    if (value !== 'socket') return { error: `wrong serial type on interface '${iface}'` };
  } else {
    iface = ['serial0', 'serial1', 'serial2', 'serial3'].find((p) => guest.serialPort(p) === 'socket');
    if (iface === undefined) return { error: 'unable to find a serial interface' };
  }
  if (!guest.running) return { error: `VM ${guest.vmid} not running` };
  return { iface };
}

export function terminalProgram(
  target: TerminalTarget,
  cluster: ClusterState,
  local: NodeState,
  io: TerminalIo,
): TerminalProgram {
  const nodeName = target.kind === 'node' ? target.node.name : target.guest.node;
  const node = cluster.nodes.get(nodeName);
  if (nodeName !== local.name && !node?.online) {
    return new FailingCommand(io, [`ssh: connect to host ${node?.ip ?? nodeName} port 22: No route to host`]);
  }
  switch (target.kind) {
    case 'node':
      if (!target.shell) return new LoginProgram(io, target.node.name);
      return new SimShell(io, {
        hostname: target.node.name,
        kernel: PVE_KERNEL,
        files: [],
        login: true,
        banner: [`Linux ${target.node.name} ${PVE_KERNEL.release} ${PVE_KERNEL.version} x86_64`, ''],
      });
    case 'lxc': {
      const { guest } = target;
      // lxc-console's ERROR() line; the source line number varies with the lxc version.
      if (!guest.running) {
        return new FailingCommand(io, [
          `lxc-console: ${guest.vmid}: ../src/lxc/tools/lxc_console.c: lxc_console_main: 131 ${guest.vmid} is not running`,
        ]);
      }
      // The console of a running container: a shell, as after a login on its tty (dtach keeps
      // that session between connections) or with `cmode: shell`.
      return new SimShell(io, {
        hostname: guestHostname(guest),
        kernel: PVE_KERNEL,
        files: ['notes.txt'],
        login: false,
      });
    }
    case 'serial': {
      const check = serialCheck(target.guest, target.iface);
      if ('error' in check) return new FailingCommand(io, [check.error]);
      // `qm terminal` announces the port (no escape key with `-escape 0`), then the guest's console.
      return new SimShell(io, {
        hostname: guestHostname(target.guest),
        kernel: GUEST_KERNEL,
        files: ['notes.txt'],
        login: false,
        banner: [`starting serial terminal on interface ${check.iface}`],
      });
    }
  }
}
