// The guest's snapshots as Proxmox draws them: a tree (each under its parent) ending in "Now"
// under the snapshot the guest runs from; those allowed take one (with the RAM state for a running
// VM), roll back (saying what is lost) or delete one. Each is a task; the list refreshes when it ends.
import { Camera, History, Trash } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { FormDialog } from '@/components/form-dialog';
import { QueryView } from '@/components/query-view';
import { TextField } from '@/components/text-field';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Checkbox } from '@/components/ui/checkbox';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Label } from '@/components/ui/label';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { toast, toastError } from '@/components/ui/toast';
import { formatDateTime } from '@/lib/format';
import { type SnapshotList, useSnapshotAction, useSnapshots } from '../api/snapshots';
import {
  deleteSnapshot,
  deleteSnapshotQuestion,
  deleting,
  rollBackLoss,
  rollBackLossRam,
  rollBackLossStop,
  rollBackQuestion,
  rollingBack,
  takeSnapshotText,
  takingSnapshot,
  vm,
} from '../messages';
import type { Guest } from '../types';

type Snap = SnapshotList['snapshots'][number];

/** Depth of each snapshot in the tree (the server lists parents before their children). */
function depths(list: Snap[]): Map<string, number> {
  const depth = new Map<string, number>();
  for (const s of list) depth.set(s.name, s.parent ? (depth.get(s.parent) ?? -1) + 1 : 0);
  return depth;
}

const NAME_RULE = /^[A-Za-z][A-Za-z0-9_-]{1,39}$/;

function TakeSnapshotDialog({
  open,
  onOpenChange,
  guest,
  take,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  guest: Guest;
  take: ReturnType<typeof useSnapshotAction>;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [vmstate, setVmstate] = useState(false);
  const canSaveRam = guest.type === 'qemu' && guest.status === 'running';
  const t = useIntl().formatMessage;
  const nameProblem = name && !NAME_RULE.test(name) ? t(vm.snapshotNameRule) : undefined;
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      text={takeSnapshotText}
      submitLabel={t(take.isPending ? takeSnapshotText.pending : takeSnapshotText.submit)}
      mutation={take}
      ready={Boolean(name) && !nameProblem}
      onSubmit={() =>
        take.mutate(
          { op: 'create', body: { name, description: description || undefined, vmstate: canSaveRam && vmstate } },
          {
            onSuccess: () => {
              toast({ variant: 'success', title: t(takingSnapshot, { name }) });
              onOpenChange(false);
              setName('');
              setDescription('');
              setVmstate(false);
            },
          },
        )
      }
    >
      <TextField
        id="snap-name"
        label={t(vm.snapshotName)}
        value={name}
        onValueChange={setName}
        error={nameProblem}
        required
      />
      <TextField
        id="snap-description"
        label={t(vm.snapshotDescription)}
        value={description}
        onValueChange={setDescription}
      />
      {canSaveRam ? (
        <div className="flex items-center gap-2">
          <Checkbox id="snap-ram" checked={vmstate} onCheckedChange={(v) => setVmstate(v === true)} />
          <Label htmlFor="snap-ram">{t(vm.includeRam)}</Label>
        </div>
      ) : null}
    </FormDialog>
  );
}

export function GuestSnapshots({ tenantId, guest }: { tenantId: string; guest: Guest }) {
  const { serverId, vmid } = guest;
  const snapshots = useSnapshots(tenantId, serverId, vmid);
  const action = useSnapshotAction(tenantId, serverId, vmid);
  const [taking, setTaking] = useState(false);
  const [confirm, setConfirm] = useState<{ op: 'rollback' | 'delete'; snap: Snap } | null>(null);
  const may = guest.can.snapshot;
  const t = useIntl().formatMessage;

  return (
    <TitledCard title={t(vm.snapshots)} description={may ? undefined : t(vm.snapshotsReadOnly)}>
      {may ? (
        <div className="mb-3">
          <Button size="sm" onClick={() => setTaking(true)}>
            <Camera /> {t(takeSnapshotText.submit)}
          </Button>
        </div>
      ) : null}
      <QueryView
        query={snapshots}
        pending={<Skeleton className="h-24" />}
        errorTitle={t(vm.snapshotsUnavailable)}
        isEmpty={(d) => d.snapshots.length === 0}
        empty={<EmptyState icon={<History />} title={t(vm.noSnapshots)} />}
      >
        {(data) => {
          const depth = depths(data.snapshots);
          const nowDepth = data.current.parent ? (depth.get(data.current.parent) ?? 0) + 1 : 0;
          return (
            <ul className="grid gap-1 text-sm" aria-label={t(vm.snapshotTree)} data-testid="snapshot-tree">
              {data.snapshots.map((s) => (
                <li
                  key={s.name}
                  className="flex flex-wrap items-center gap-2 rounded-md px-2 py-1.5 hover:bg-muted"
                  style={{ paddingLeft: `${0.5 + (depth.get(s.name) ?? 0) * 1.25}rem` }}
                  data-snapshot={s.name}
                >
                  <span className="font-medium">{s.name}</span>
                  {s.vmstate ? <Badge variant="secondary">{t(vm.ram)}</Badge> : null}
                  <span className="text-xs text-muted-foreground">
                    {s.snaptime ? formatDateTime(new Date(s.snaptime * 1000).toISOString()) : ''}
                  </span>
                  {s.description ? (
                    <span className="min-w-0 basis-full truncate text-xs text-muted-foreground sm:basis-auto">
                      {s.description}
                    </span>
                  ) : null}
                  {may ? (
                    <span className="ml-auto flex gap-1">
                      <Button size="sm" variant="outline" onClick={() => setConfirm({ op: 'rollback', snap: s })}>
                        <History /> {t(vm.rollBack)}
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={t(deleteSnapshot, { name: s.name })}
                        onClick={() => setConfirm({ op: 'delete', snap: s })}
                      >
                        <Trash />
                      </Button>
                    </span>
                  ) : null}
                </li>
              ))}
              <li
                className="flex items-center gap-2 px-2 py-1.5 text-sm"
                style={{ paddingLeft: `${0.5 + nowDepth * 1.25}rem` }}
                data-snapshot="now"
              >
                <Badge>{t(vm.snapshotNow)}</Badge>
                <span className="text-muted-foreground">{t(vm.runningState)}</span>
              </li>
            </ul>
          );
        }}
      </QueryView>
      <TakeSnapshotDialog open={taking} onOpenChange={setTaking} guest={guest} take={action} />
      <ConfirmDialog
        open={confirm !== null}
        onOpenChange={(o) => !o && setConfirm(null)}
        title={
          confirm?.op === 'rollback'
            ? t(rollBackQuestion, { name: confirm.snap.name })
            : t(deleteSnapshotQuestion, { name: confirm?.snap.name ?? '' })
        }
        description={
          confirm?.op === 'rollback'
            ? t(guest.status !== 'running' ? rollBackLoss : confirm.snap.vmstate ? rollBackLossRam : rollBackLossStop, {
                name: confirm.snap.name,
              })
            : t(vm.deleteSnapshotDescription)
        }
        confirmLabel={t(confirm?.op === 'rollback' ? vm.rollBack : vm.delete)}
        pending={action.isPending}
        onConfirm={() =>
          confirm &&
          action.mutate(
            { op: confirm.op, name: confirm.snap.name },
            {
              onSuccess: () => {
                toast({
                  variant: 'success',
                  title: t(confirm.op === 'rollback' ? rollingBack : deleting, { name: confirm.snap.name }),
                });
                setConfirm(null);
              },
              onError: toastError(t(confirm.op === 'rollback' ? vm.notRolledBack : vm.notDeleted)),
            },
          )
        }
      />
    </TitledCard>
  );
}
