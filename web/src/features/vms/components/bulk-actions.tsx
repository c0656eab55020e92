// Acting on many guests: checkboxes in the list (shift-click selects a range, the header selects
// every guest shown), a bar with the actions, and the outcome per guest — those that failed say
// why (refused by the policy, not applicable, server down). Only guests one may power are selectable.
import { Play, Power, RotateCcw, Square, X } from 'lucide-react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toast } from '@/components/ui/toast';
import { type BulkAction, type BulkActionResult, useBulkAction } from '../api/bulk-action';
import { guestKey } from '../api/get-vms';
import {
  bulkGuestFailed,
  bulkGuestFallback,
  bulkGuestStarted,
  bulkOutcome,
  bulkQuestion,
  bulkSelected,
  bulkToast,
  vm,
} from '../messages';
import type { Guest } from '../types';
import { guestLabel } from './guest-actions';

export interface BulkSelection {
  selected: ReadonlySet<string>;
  /** A guest's checkbox: `shift` extends from the last one clicked. */
  toggle(g: Guest, shift: boolean): void;
  /** The header checkbox: all shown (selectable) guests, or none. */
  toggleAll(): void;
  allChecked: boolean | 'indeterminate';
  clear(): void;
}

export function useBulkSelection(shown: readonly Guest[]): BulkSelection {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);
  const selectable = useMemo(() => shown.filter((g) => g.can.power), [shown]);
  const keys = useMemo(() => selectable.map((g) => guestKey(g.serverId, g.vmid)), [selectable]);
  // Only what is shown stays selected (a filter change drops the rest).
  const visible = useMemo(() => new Set([...selected].filter((k) => keys.includes(k))), [selected, keys]);

  const toggle = useCallback(
    (g: Guest, shift: boolean) => {
      const key = guestKey(g.serverId, g.vmid);
      setSelected((prev) => {
        const next = new Set(prev);
        const on = !prev.has(key);
        const from = anchor.current ? keys.indexOf(anchor.current) : -1;
        const to = keys.indexOf(key);
        if (shift && from >= 0 && to >= 0) {
          for (const k of keys.slice(Math.min(from, to), Math.max(from, to) + 1)) on ? next.add(k) : next.delete(k);
        } else if (on) next.add(key);
        else next.delete(key);
        return next;
      });
      anchor.current = key;
    },
    [keys],
  );
  const all = keys.length > 0 && keys.every((k) => visible.has(k));
  return {
    selected: visible,
    toggle,
    toggleAll: () => setSelected(all ? new Set() : new Set(keys)),
    allChecked: all ? true : visible.size > 0 ? 'indeterminate' : false,
    clear: () => setSelected(new Set()),
  };
}

const ACTIONS: { action: BulkAction; label: MessageDescriptor; icon: typeof Play; confirm?: MessageDescriptor }[] = [
  { action: 'start', label: vm.start, icon: Play },
  { action: 'shutdown', label: vm.shutdown, icon: Power, confirm: vm.bulkShutdownConfirm },
  { action: 'reboot', label: vm.reboot, icon: RotateCcw, confirm: vm.bulkRebootConfirm },
  { action: 'stop', label: vm.stop, icon: Square, confirm: vm.bulkStopConfirm },
];

export function BulkBar({
  tenantId,
  guests,
  selection,
}: {
  tenantId: string;
  guests: readonly Guest[];
  selection: BulkSelection;
}) {
  const run = useBulkAction(tenantId);
  const t = useIntl().formatMessage;
  const [asking, setAsking] = useState<(typeof ACTIONS)[number] | null>(null);
  const [outcome, setOutcome] = useState<{ action: string; results: BulkActionResult['results'] } | null>(null);
  const chosen = guests.filter((g) => selection.selected.has(guestKey(g.serverId, g.vmid)));
  const nameOf = (r: { serverId: string; vmid: number }) => {
    const g = guests.find((x) => x.serverId === r.serverId && x.vmid === r.vmid);
    return g ? guestLabel(g, t) : t(bulkGuestFallback, { vmid: r.vmid });
  };
  const go = (a: (typeof ACTIONS)[number]) =>
    run.mutate(
      { action: a.action, guests: chosen.map((g) => ({ serverId: g.serverId, vmid: g.vmid })) },
      {
        onSuccess: (res) => {
          const failed = res.results.filter((r) => !r.ok).length;
          const total = res.results.length;
          toast({
            variant: failed ? 'error' : 'success',
            title: t(bulkToast, { action: t(a.label), ok: total - failed, total, failed }),
          });
          setOutcome({ action: t(a.label), results: res.results });
          setAsking(null);
          selection.clear();
        },
        onError: () => setAsking(null),
      },
    );

  if (chosen.length === 0 && !outcome) return null;
  return (
    <div className="grid gap-2">
      {chosen.length > 0 ? (
        <div
          className="flex flex-wrap items-center gap-2 rounded-lg border bg-muted/50 p-2"
          role="toolbar"
          aria-label={t(vm.bulkToolbar)}
        >
          <span className="px-1 text-sm font-medium" aria-live="polite">
            {t(bulkSelected, { count: chosen.length })}
          </span>
          {ACTIONS.map((a) => (
            <Button
              key={a.action}
              size="sm"
              variant="outline"
              disabled={run.isPending}
              onClick={() => (a.confirm ? setAsking(a) : go(a))}
            >
              <a.icon /> {t(a.label)}
            </Button>
          ))}
          <Button size="sm" variant="ghost" onClick={selection.clear} aria-label={t(vm.bulkClear)}>
            <X />
          </Button>
          {run.isPending ? <span className="text-sm text-muted-foreground">{t(vm.bulkWorking)}</span> : null}
        </div>
      ) : null}
      {outcome ? (
        <div className="rounded-lg border p-3 text-sm" data-testid="bulk-outcome" aria-live="polite">
          <div className="flex items-center justify-between gap-2">
            <p className="font-medium">
              {t(bulkOutcome, {
                action: outcome.action,
                ok: outcome.results.filter((r) => r.ok).length,
                total: outcome.results.length,
              })}
            </p>
            <Button size="sm" variant="ghost" aria-label={t(vm.bulkDismiss)} onClick={() => setOutcome(null)}>
              <X />
            </Button>
          </div>
          <ul className="mt-1 grid gap-0.5">
            {outcome.results.map((r) => (
              <li key={`${r.serverId}:${r.vmid}`} className={r.ok ? 'text-muted-foreground' : 'text-destructive-text'}>
                {r.ok
                  ? t(bulkGuestStarted, { name: nameOf(r) })
                  : t(bulkGuestFailed, { name: nameOf(r), reason: r.error?.message ?? t(vm.bulkFailed) })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ConfirmDialog
        open={asking !== null}
        onOpenChange={(o) => !o && setAsking(null)}
        title={asking ? t(bulkQuestion, { action: asking.action, count: chosen.length }) : ''}
        description={asking?.confirm ? t(asking.confirm) : undefined}
        confirmLabel={asking ? t(asking.label) : t(vm.confirm)}
        destructive={asking?.action === 'stop'}
        pending={run.isPending}
        onConfirm={() => asking && go(asking)}
      />
    </div>
  );
}
