// Power actions for one guest: the ones that apply to its state, destructive ones confirmed.
// Shown only when the server says the caller may power this guest.
import { CirclePlay, CircleStop, EllipsisVertical, Pause, Play, Power, RotateCcw, Zap } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { type IntlShape, type MessageDescriptor, useIntl } from 'react-intl';
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
import { actionFailed, actionNamed, actionProgress, actionQuestion, guestFallback, moreActions, vm } from '../messages';
import type { Guest, VmAction } from '../types';

const META: Record<VmAction, { label: MessageDescriptor; icon: ReactNode; confirm?: MessageDescriptor }> = {
  start: { label: vm.start, icon: <Play /> },
  resume: { label: vm.resume, icon: <CirclePlay /> },
  shutdown: { label: vm.shutdown, icon: <Power />, confirm: vm.shutdownConfirm },
  reboot: { label: vm.reboot, icon: <RotateCcw />, confirm: vm.rebootConfirm },
  suspend: { label: vm.suspend, icon: <Pause /> },
  stop: { label: vm.stop, icon: <CircleStop />, confirm: vm.stopConfirm },
  reset: { label: vm.reset, icon: <Zap />, confirm: vm.resetConfirm },
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

/** The guest's name, or "Guest 101" for one without. */
export function guestLabel(g: Pick<Guest, 'name' | 'vmid'>, t: IntlShape['formatMessage']): string {
  return g.name || t(guestFallback, { vmid: g.vmid });
}

export function GuestActions({ tenantId, guest, compact }: { tenantId: string; guest: Guest; compact?: boolean }) {
  const mutation = useVmAction(tenantId);
  const [confirming, setConfirming] = useState<VmAction | null>(null);
  const t = useIntl().formatMessage;
  const actions = actionsFor(guest);
  const name = guestLabel(guest, t);
  if (actions.length === 0) return null;

  const run = (action: VmAction) => {
    setConfirming(null);
    mutation.mutate(
      { serverId: guest.serverId, vmid: guest.vmid, action },
      {
        onSuccess: () => toast({ variant: 'success', title: t(actionProgress, { action, name }) }),
        onError: (e) =>
          toast({ variant: 'error', title: t(actionFailed, { action, name }), description: errorMessage(e) }),
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
        aria-label={t(actionNamed, { action: primary, name })}
      >
        {META[primary].icon}
        {compact ? null : t(META[primary].label)}
      </Button>
      {rest.length > 0 ? (
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="ghost" size="icon-sm" aria-label={t(moreActions, { name })} disabled={mutation.isPending}>
              <EllipsisVertical />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            <DropdownMenuLabel>{t(vm.power)}</DropdownMenuLabel>
            {rest.map((a) => (
              <DropdownMenuItem key={a} destructive={a === 'stop' || a === 'reset'} onSelect={() => request(a)}>
                {META[a].icon} {t(META[a].label)}
              </DropdownMenuItem>
            ))}
          </DropdownMenuContent>
        </DropdownMenu>
      ) : null}
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(o) => !o && setConfirming(null)}
        title={confirming ? t(actionQuestion, { action: confirming, name }) : ''}
        description={confirming && META[confirming].confirm ? t(META[confirming].confirm) : undefined}
        confirmLabel={confirming ? t(META[confirming].label) : t(vm.confirm)}
        onConfirm={() => confirming && run(confirming)}
      />
    </div>
  );
}
