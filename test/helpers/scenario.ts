// The pve-sim scenario most console tests need: one standalone node `pve1` with a few guests,
// each running unless it says otherwise.
import type { Scenario } from '../../pve-sim/index';

export interface SimGuest {
  vmid: number;
  name: string;
  type?: 'qemu' | 'lxc';
  status?: 'running' | 'stopped';
}

export function singleNodeScenario(seed: number, guests: SimGuest[]): Scenario {
  return {
    seed,
    clusters: [
      {
        name: null,
        nodes: [{ name: 'pve1' }],
        guests: guests.map((g) => ({ type: 'qemu', status: 'running', node: 'pve1', ...g })),
      },
    ],
  };
}
