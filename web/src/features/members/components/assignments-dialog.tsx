// Edits a member's guest access. Unrestricted, the member sees every guest their role allows;
// restricted, only the ticked guests (none when nothing is ticked), on each only the ticked
// permissions (still capped by the role). Only lifting the restriction here makes it go away.
import { GUEST_PERMISSIONS, type GuestPermission } from '@common/permissions';
import { useEffect, useMemo, useState } from 'react';
import { ListTable } from '@/components/list-table';
import { Alert, ErrorAlert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Dialog, DialogContent, DialogFooter, DialogHeading } from '@/components/ui/dialog';
import { SearchInput } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Skeleton } from '@/components/ui/misc';
import { Switch } from '@/components/ui/switch';
import { TableCell } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import { useVms } from '@/features/vms/api/get-vms';
import { guestLabel } from '@/features/vms/components/guest-actions';
import { useAssignments } from '../api/get-assignments';
import type { TenantMember } from '../api/get-members';
import { usePutAssignments } from '../api/put-assignments';

const PERMS: readonly GuestPermission[] = GUEST_PERMISSIONS;
type Selection = Map<string, Set<GuestPermission>>;
const keyOf = (serverId: string, vmid: number) => `${serverId}/${vmid}`;

export function AssignmentsDialog({
  tenantId,
  member,
  onClose,
}: {
  tenantId: string;
  member: TenantMember | null;
  onClose(): void;
}) {
  const open = member !== null;
  const assignments = useAssignments(tenantId, member?.userId ?? '', open);
  const vms = useVms(tenantId);
  const put = usePutAssignments(tenantId, member?.userId ?? '');
  const [sel, setSel] = useState<Selection>(new Map());
  const [restricted, setRestricted] = useState(false);
  const [q, setQ] = useState('');
  const isAdmin = member?.role === 'admin';

  useEffect(() => {
    if (assignments.data) {
      setSel(new Map(assignments.data.assignments.map((a) => [keyOf(a.serverId, a.vmid), new Set(a.permissions)])));
      setRestricted(assignments.data.restricted);
    }
  }, [assignments.data]);

  const serverNames = useMemo(() => new Map(vms.data?.servers.map((s) => [s.serverId, s.name]) ?? []), [vms.data]);
  const guests = (vms.data?.vms ?? []).filter((g) =>
    `${g.name ?? ''} ${g.vmid}`.toLowerCase().includes(q.trim().toLowerCase()),
  );

  const toggle = (k: string, p: GuestPermission, on: boolean) => {
    const next = new Map(sel);
    const perms = new Set(next.get(k) ?? []);
    if (on) {
      perms.add(p);
      if (p !== 'view') perms.add('view');
    } else {
      perms.delete(p);
      if (p === 'view') perms.clear();
    }
    if (perms.size === 0) next.delete(k);
    else next.set(k, perms);
    setSel(next);
    // Giving a guest restricts; taking the last one away does not lift the restriction.
    if (next.size > 0) setRestricted(true);
  };

  const setRestriction = (on: boolean) => {
    setRestricted(on);
    if (!on) setSel(new Map());
  };

  const save = () => {
    const list = [...sel.entries()].map(([k, perms]) => {
      const [serverId = '', vmid = '0'] = k.split('/');
      return { serverId, vmid: Number(vmid), permissions: [...perms] };
    });
    put.mutate(
      { restricted, assignments: list },
      {
        onSuccess: () => {
          toast({ variant: 'success', title: `Guest access saved for ${member?.email ?? ''}` });
          onClose();
        },
      },
    );
  };

  return (
    <Dialog open={open} onOpenChange={(o) => !o && onClose()}>
      <DialogContent wide>
        <DialogHeading
          title={<>Guest access for {member?.email}</>}
          description={
            <>
              Tick guests to restrict this member to them. A restricted member sees only those guests (none when nothing
              is ticked) and manages no servers, members or API explorer; only lifting the restriction gives back every
              guest their role ({member?.role}) allows.
            </>
          }
        />
        {isAdmin ? (
          <Alert>Tenant admins are never restricted to guests: change the role first.</Alert>
        ) : (
          <div className="flex items-center gap-2">
            <Switch id="member-restricted" checked={restricted} onCheckedChange={setRestriction} />
            <Label htmlFor="member-restricted">Restricted to the ticked guests</Label>
          </div>
        )}
        {!restricted ? (
          <Alert>Not restricted: every guest of the tenant.</Alert>
        ) : sel.size > 0 ? (
          <Alert variant="warning">
            Restricted to {sel.size} guest(s). Restricted members get no API explorer and no server management.
          </Alert>
        ) : (
          <Alert variant="warning">Restricted to no guests: this member sees no guest until one is ticked.</Alert>
        )}
        <SearchInput
          aria-label="Search guests"
          placeholder="Search guests"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        {assignments.isPending || vms.isPending ? (
          <Skeleton className="h-48" />
        ) : assignments.isError ? (
          <ErrorAlert error={assignments.error} />
        ) : vms.isError ? (
          <ErrorAlert error={vms.error} title="Could not load the guests" />
        ) : (
          <div className="max-h-80 overflow-y-auto rounded-md border">
            <ListTable
              columns={['Guest', ...PERMS.map((p) => ({ label: p, className: 'text-center capitalize' }))]}
              items={guests}
              rowKey={(g) => keyOf(g.serverId, g.vmid)}
            >
              {(g) => {
                const k = keyOf(g.serverId, g.vmid);
                const perms = sel.get(k);
                return (
                  <>
                    <TableCell>
                      <span className="block font-medium">{guestLabel(g)}</span>
                      <span className="text-xs text-muted-foreground">
                        {g.vmid} · {serverNames.get(g.serverId) ?? ''}
                      </span>
                    </TableCell>
                    {PERMS.map((p) => (
                      <TableCell key={p} className="text-center">
                        <Checkbox
                          aria-label={`${p} ${guestLabel(g)}`}
                          checked={perms?.has(p) ?? false}
                          disabled={isAdmin}
                          onCheckedChange={(v) => toggle(k, p, v === true)}
                        />
                      </TableCell>
                    ))}
                  </>
                );
              }}
            </ListTable>
          </div>
        )}
        {put.error ? <ErrorAlert error={put.error} /> : null}
        <DialogFooter>
          {restricted ? (
            <Button variant="outline" onClick={() => setRestriction(false)}>
              Lift restriction (all guests)
            </Button>
          ) : null}
          <Button onClick={save} disabled={put.isPending}>
            Save access
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
