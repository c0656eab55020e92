// The "Console" control every guest row and card carries (that exact accessible name), and the
// guest page's "Terminal" beside it where the guest has a text console.
import { Eye, Monitor, SquareTerminal } from 'lucide-react';
import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { terminalOn, vm } from '../messages';
import type { GuestAbilities } from '../types';

export function consolePath(tenantId: string, serverId: string, vmid: number): string {
  return `/tenants/${tenantId}/servers/${serverId}/vms/${vmid}/console`;
}

interface GuestConsoleProps {
  tenantId: string;
  serverId: string;
  vmid: number;
  abilities: GuestAbilities;
  running: boolean;
  /** The guest's default console (filled while the guest runs); else an outline button. */
  primary?: boolean;
}

/** A console link of either kind; nothing for those who may not open consoles. */
function ConsoleButton({
  to,
  title,
  abilities,
  running,
  primary,
  children,
}: Pick<GuestConsoleProps, 'abilities' | 'running' | 'primary'> & { to: string; title: string; children: ReactNode }) {
  if (abilities.console === 'none') return null;
  return (
    <Button asChild size="sm" variant={running && primary ? 'default' : 'outline'} title={title}>
      <Link to={to} data-default-console={primary || undefined}>
        {children}
      </Link>
    </Button>
  );
}

export function ConsoleLink({ tenantId, serverId, vmid, abilities, running, primary = true }: GuestConsoleProps) {
  const viewOnly = abilities.console === 'view-only';
  const t = useIntl().formatMessage;
  return (
    <ConsoleButton
      to={consolePath(tenantId, serverId, vmid)}
      title={t(viewOnly ? vm.consoleViewOnly : vm.consoleOpen)}
      abilities={abilities}
      running={running}
      primary={primary}
    >
      {viewOnly ? <Eye aria-hidden /> : <Monitor aria-hidden />}
      {t(vm.console)}
    </ConsoleButton>
  );
}

/** "Terminal": a container's text console, or a VM's on a serial port (xterm.js through termproxy). */
export function TerminalLink({
  serial,
  primary = false,
  ...props
}: GuestConsoleProps & {
  /** A VM's serial port to open; none for a container. */
  serial?: string | undefined;
}) {
  const query = serial ? `?serial=${serial}` : '';
  const t = useIntl().formatMessage;
  return (
    <ConsoleButton
      to={`/tenants/${props.tenantId}/servers/${props.serverId}/vms/${props.vmid}/terminal${query}`}
      title={serial ? t(terminalOn, { port: serial }) : t(vm.terminalTitle)}
      abilities={props.abilities}
      running={props.running}
      primary={primary}
    >
      <SquareTerminal aria-hidden />
      {t(vm.terminal)}
    </ConsoleButton>
  );
}
