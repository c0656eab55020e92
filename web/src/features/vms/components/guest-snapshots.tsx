// The guest's snapshots as Proxmox draws them: a tree (each under its parent) ending in "Now"
// under the snapshot the guest runs from; those allowed take one (with the RAM state for a running
// VM), roll back (saying what is lost) or delete one. Each is a task; the list refreshes when it ends.
import { Camera, History, Trash } from 'lucide-react';
import { useState } from 'react';
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
  const nameProblem =
    name && !NAME_RULE.test(name) ? 'Start with a letter; letters, digits, - and _ only (2–40).' : undefined;
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Take a snapshot"
      description="The guest's disks (and optionally its memory) as they are now; you can roll back to it later."
      error={take.error}
      submitLabel={take.isPending ? 'Taking…' : 'Take snapshot'}
      submitDisabled={take.isPending || !name || Boolean(nameProblem)}
      onSubmit={() =>
        take.mutate(
          { op: 'create', body: { name, description: description || undefined, vmstate: canSaveRam && vmstate } },
          {
            onSuccess: () => {
              toast({ variant: 'success', title: `Taking snapshot ${name}…` });
              onOpenChange(false);
              setName('');
              setDescription('');
              setVmstate(false);
            },
          },
        )
      }
    >
      <TextField id="snap-name" label="Name" value={name} onValueChange={setName} error={nameProblem} required />
      <TextField
        id="snap-description"
        label="Description (optional)"
        value={description}
        onValueChange={setDescription}
      />
      {canSaveRam ? (
        <div className="flex items-center gap-2">
          <Checkbox id="snap-ram" checked={vmstate} onCheckedChange={(v) => setVmstate(v === true)} />
          <Label htmlFor="snap-ram">Include the RAM state (the VM resumes exactly where it was)</Label>
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

  return (
    <TitledCard
      title="Snapshots"
      description={may ? undefined : 'Your role can see the snapshots but not take or restore them.'}
    >
      {may ? (
        <div className="mb-3">
          <Button size="sm" onClick={() => setTaking(true)}>
            <Camera /> Take snapshot
          </Button>
        </div>
      ) : null}
      <QueryView
        query={snapshots}
        pending={<Skeleton className="h-24" />}
        errorTitle="Could not load the snapshots"
        isEmpty={(d) => d.snapshots.length === 0}
        empty={<EmptyState icon={<History />} title="No snapshots yet" />}
      >
        {(data) => {
          const depth = depths(data.snapshots);
          const nowDepth = data.current.parent ? (depth.get(data.current.parent) ?? 0) + 1 : 0;
          return (
            <ul className="grid gap-1 text-sm" aria-label="Snapshot tree" data-testid="snapshot-tree">
              {data.snapshots.map((s) => (
                <li
                  key={s.name}
                  className="flex flex-wrap items-center gap-2 rounded-md px-2 py-1.5 hover:bg-muted"
                  style={{ paddingLeft: `${0.5 + (depth.get(s.name) ?? 0) * 1.25}rem` }}
                  data-snapshot={s.name}
                >
                  <span className="font-medium">{s.name}</span>
                  {s.vmstate ? <Badge variant="secondary">RAM</Badge> : null}
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
                        <History /> Roll back
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Delete snapshot ${s.name}`}
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
                <Badge>Now</Badge>
                <span className="text-muted-foreground">the running state</span>
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
            ? `Roll back to ${confirm.snap.name}?`
            : `Delete snapshot ${confirm?.snap.name ?? ''}?`
        }
        description={
          confirm?.op === 'rollback'
            ? `Everything the guest wrote since ${confirm.snap.name} is lost.${
                guest.status === 'running'
                  ? confirm.snap.vmstate
                    ? ' The VM continues from the saved RAM state.'
                    : ' The running guest is stopped.'
                  : ''
              }`
            : 'The snapshot is removed; the guest itself is not changed.'
        }
        confirmLabel={confirm?.op === 'rollback' ? 'Roll back' : 'Delete'}
        pending={action.isPending}
        onConfirm={() =>
          confirm &&
          action.mutate(
            { op: confirm.op, name: confirm.snap.name },
            {
              onSuccess: () => {
                toast({
                  variant: 'success',
                  title:
                    confirm.op === 'rollback'
                      ? `Rolling back to ${confirm.snap.name}…`
                      : `Deleting ${confirm.snap.name}…`,
                });
                setConfirm(null);
              },
              onError: toastError(confirm.op === 'rollback' ? 'Not rolled back' : 'Not deleted'),
            },
          )
        }
      />
    </TitledCard>
  );
}
