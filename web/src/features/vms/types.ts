// Shapes of the inventory API (DESIGN.md §6). Provisional: they move to `@common/schemas/vms`
// when the inventory module lands, and this file then re-exports those types.
export type GuestType = 'qemu' | 'lxc';
export type VmAction = 'start' | 'stop' | 'shutdown' | 'reboot' | 'reset' | 'suspend' | 'resume';

export interface GuestCan {
  power?: boolean;
  console?: 'none' | 'view-only' | 'interactive' | boolean;
}

export interface Guest {
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
  pool?: string | null;
  lock?: string | null;
  can?: GuestCan;
}

export interface ServerFetchStatus {
  serverId: string;
  name: string;
  ok: boolean;
  error?: string | { code?: string; message: string } | null;
  fetchedAt: string | null;
}

export interface GuestList {
  vms: Guest[];
  servers: ServerFetchStatus[];
}

export interface GuestDetail extends Partial<Guest> {
  [key: string]: unknown;
}

export interface ActionResult {
  upid: string;
  status: string;
}

export interface TaskStatus {
  upid: string;
  status: 'running' | 'stopped';
  exitstatus?: string | null;
  ok?: boolean;
}

export interface RrdPoint {
  time: number;
  cpu?: number | null;
  maxcpu?: number | null;
  mem?: number | null;
  maxmem?: number | null;
  netin?: number | null;
  netout?: number | null;
  diskread?: number | null;
  diskwrite?: number | null;
  [key: string]: number | null | undefined;
}
