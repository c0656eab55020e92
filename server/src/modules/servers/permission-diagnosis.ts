// Reads `/access/permissions` (the token's effective rights, after privilege separation) and
// says in plain words what Nexus can and cannot do with this token.
import type { PvePermissions } from '../../proxmox';

export interface TokenAbilities {
  listGuests: boolean;
  power: boolean;
  console: boolean;
  nodeAudit: boolean;
  /** Sys.Console on /nodes: node shells (termproxy on a node). */
  nodeShell: boolean;
}

const isGuestPath = (p: string) => p === '/' || p === '/vms' || p.startsWith('/vms/') || p.startsWith('/pool/');
const isNodePath = (p: string) => p === '/' || p === '/nodes' || p.startsWith('/nodes/');

function holds(perms: PvePermissions, privilege: string, where: (path: string) => boolean): boolean {
  return Object.entries(perms).some(([path, privs]) => where(path) && privilege in privs);
}

export function abilitiesOf(perms: PvePermissions): TokenAbilities {
  return {
    listGuests: holds(perms, 'VM.Audit', isGuestPath),
    power: holds(perms, 'VM.PowerMgmt', isGuestPath),
    console: holds(perms, 'VM.Console', isGuestPath),
    nodeAudit: holds(perms, 'Sys.Audit', isNodePath),
    nodeShell: holds(perms, 'Sys.Console', isNodePath),
  };
}

export function diagnose(perms: PvePermissions, guestsVisible: number | null): string[] {
  const a = abilitiesOf(perms);
  if (Object.keys(perms).length === 0) {
    return [
      'The token has no permissions at all. A privilege-separated token (privsep=1, the Proxmox default) ' +
        'only has the ACLs given to the token itself: add ACLs for the token (for example role PVEVMUser on ' +
        '/vms and PVEAuditor on /nodes), or recreate it without privilege separation.',
    ];
  }
  const out: string[] = [];
  if (!a.listGuests) out.push('The token cannot list guests (VM.Audit is missing on /vms): Nexus will show no VMs.');
  if (!a.power) out.push('The token cannot start, stop or reboot guests (VM.PowerMgmt is missing on /vms).');
  if (!a.console) out.push('The token cannot open consoles (VM.Console is missing on /vms).');
  if (!a.nodeAudit)
    out.push('The token cannot read node figures (Sys.Audit is missing on /nodes); VM lists still work.');
  if (a.listGuests && guestsVisible === 0) {
    out.push('The token sees no guests: none exist, or its ACLs only cover paths without guests.');
  }
  if (out.length === 0) out.push('The token can list guests, power them and open consoles.');
  return out;
}
