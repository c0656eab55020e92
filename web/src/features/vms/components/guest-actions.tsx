// Power actions for one guest: the ones that apply to its state, destructive ones confirmed.
// Shown only when the server says the caller may power this guest.
import { CirclePlay, CircleStop, EllipsisVertical, Pause, Play, Power, RotateCcw, Zap } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { toast } from '@/components/ui/toast';
import { errorMessage } from '@/lib/api-client';
import { useVmAction } from '../api/vm-action';
import type { Guest, VmAction } from '../types';

const META: Record<VmAction, { label: string; icon: ReactNode; confirm?: string; progress: string }> = {
  start: { label: 'Start', icon: <Play />, progress: 'Starting' },
  resume: { label: 'Resume', icon: <CirclePlay />, progress: 'Resuming' },
  shutdown: {
    label: 'Shut down',
    icon: <Power />,
    confirm: 'The guest is asked to shut down cleanly (ACPI / init).',
    progress: 'Shutting down',
  },
  reboot: { label: 'Reboot', icon: <RotateCcw />, confirm: 'The guest is asked to reboot.', progress: 'Rebooting' },
  suspend: { label: 'Suspend', icon: <Pause />, progress: 'Suspending' },
  stop: {
    label: 'Stop',
    icon: <CircleStop />,
    confirm: 'The guest is stopped at once, like pulling the power cord. Unsaved data is lost.',
    progress: 'Stopping',
  },
  reset: {
    label: 'Reset',
    icon: <Zap />,
    confirm: 'The guest is reset at once, like pressing the reset button. Unsaved data is lost.',
    progress: 'Resetting',
  },
};

export function actionsFor(guest: Pick<Guest, 'status' | 'type' | 'template'>): VmAction[] {
  if (guest.template) return [];
  switch (guest.status) {
    case 'running':
      return guest.type === 'qemu'
        ? ['shutdown', 'reboot', 'suspend', 'stop', 'reset']
        : ['shutdown', 'reboot', 'stop'];
    case 'stopped':
      return ['start'];
    case 'paused':
    case 'suspended':
    case 'prelaunch':
      return ['resume', 'stop'];
    default:
      return [];
  }
}

export function guestLabel(g: Pick<Guest, 'name' | 'vmid'>): string {
  return g.name || `Guest ${g.vmid}`;
}

export function GuestActions({ tenantId, guest, compact }: { tenantId: string; guest: Guest; compact?: boolean }) {
  const mutation = useVmAction(tenantId);
  const [confirming, setConfirming] = useState<VmAction | null>(null);
  const actions = actionsFor(guest);
  const name = guestLabel(guest);
  if (actions.length === 0) return null;

  const run = (action: VmAction) => {
    setConfirming(null);
    mutation.mutate(
      { serverId: guest.serverId, vmid: guest.vmid, action },
      {
        onSuccess: () => toast({ variant: 'success', title: `${META[action].progress} ${name}…` }),
        onError: (e) =>
          toast({ variant: 'error', title: `${META[action].label} ${name} failed`, description: errorMessage(e) }),
      },
    );
  };
  const request = (action: VmAction) => (META[action].confirm ? setConfirming(action) : run(action));
  const primary = actions[0] as VmAction;
  const rest = actions.slice(1);

  return (
    <div className="flex items-center gap-1">
      <Button
        variant="outline"
        size="sm"
        disabled={mutation.isPending}
        onClick={() => request(primary)}
        aria-label={`${META[primary].label} ${name}`}
      >
        {META[primary].icon}
        {compact ? null : META[primary].label}
      </Button>
      {rest.length > 0 ? (
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label={`More actions for ${name}`}
              disabled={mutation.isPending}
            >
              <EllipsisVertical />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            <DropdownMenuLabel>Power</DropdownMenuLabel>
            {rest.map((a) => (
              <DropdownMenuItem key={a} destructive={a === 'stop' || a === 'reset'} onSelect={() => request(a)}>
                {META[a].icon} {META[a].label}
              </DropdownMenuItem>
            ))}
          </DropdownMenuContent>
        </DropdownMenu>
      ) : null}
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(o) => !o && setConfirming(null)}
        title={confirming ? `${META[confirming].label} ${name}?` : ''}
        description={confirming ? META[confirming].confirm : undefined}
        confirmLabel={confirming ? META[confirming].label : 'Confirm'}
        onConfirm={() => confirming && run(confirming)}
      />
    </div>
  );
}
