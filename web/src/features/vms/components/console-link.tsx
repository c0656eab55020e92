// The "Console" control every guest row and card carries (that exact accessible name).
import { Eye, Monitor, SquareTerminal } from 'lucide-react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import type { GuestAbilities } from '../types';

export function consolePath(tenantId: string, serverId: string, vmid: number): string {
  return `/tenants/${tenantId}/servers/${serverId}/vms/${vmid}/console`;
}

export function ConsoleLink({
  tenantId,
  serverId,
  vmid,
  abilities,
  running,
}: {
  tenantId: string;
  serverId: string;
  vmid: number;
  abilities: GuestAbilities;
  running: boolean;
}) {
  if (abilities.console === 'none') return null;
  return (
    <Button
      asChild
      size="sm"
      variant={running ? 'default' : 'outline'}
      title={abilities.console === 'view-only' ? 'View-only console' : 'Open the console'}
    >
      <Link to={consolePath(tenantId, serverId, vmid)}>
        {abilities.console === 'view-only' ? <Eye aria-hidden /> : <Monitor aria-hidden />}
        Console
      </Link>
    </Button>
  );
}

/** "Terminal": a container's text console (xterm.js through termproxy). */
export function TerminalLink({
  tenantId,
  serverId,
  vmid,
  abilities,
  serial,
}: {
  tenantId: string;
  serverId: string;
  vmid: number;
  abilities: GuestAbilities;
  /** A VM's serial port to open; none for a container. */
  serial?: string;
}) {
  if (abilities.console === 'none') return null;
  return (
    <Button
      asChild
      size="sm"
      variant="outline"
      title={serial ? `Text console on ${serial}` : 'Text console (copy and paste, your font)'}
    >
      <Link to={`/tenants/${tenantId}/servers/${serverId}/vms/${vmid}/terminal${serial ? `?serial=${serial}` : ''}`}>
        <SquareTerminal aria-hidden />
        Terminal
      </Link>
    </Button>
  );
}
