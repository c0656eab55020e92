// The software versions a simulated node reports: pve-manager's version (GET /version,
// /nodes/{node}/version, status `pveversion`) and the running Proxmox kernel.
export const PVE_VERSION = { version: '9.1.9', release: '9.1', repoid: '5e2b4c1d' } as const;

export const PVE_KERNEL = {
  release: '6.17.2-1-pve',
  version: '#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2026-01-10T12:00Z)',
} as const;

/** The kernel a simulated Debian VM runs (containers share the node's). */
export const GUEST_KERNEL = {
  release: '6.12.48+deb13-amd64',
  version: '#1 SMP PREEMPT_DYNAMIC Debian 6.12.48-1 (2025-09-20)',
} as const;
