// What a termproxy session runs once authenticated, as the three termproxy API calls set it up:
// a container's console (lxc-console through dtach), a VM's serial port (`qm terminal`), or a
// node's shell (`/bin/login`, or a root shell for a root@pam ticket).
import type { NodeState } from '../model/cluster-state';
import type { SimGuest } from '../model/sim-guest';

export type TerminalTarget =
  | { kind: 'lxc'; guest: SimGuest }
  /** `iface`: the `serial` parameter; without it `qm terminal` takes the first socket port. */
  | { kind: 'serial'; guest: SimGuest; iface: string | undefined }
  /** `shell`: a root shell (root@pam with a ticket), else /bin/login. */
  | { kind: 'node'; node: NodeState; shell: boolean };
