// Edits a member's guest access. Unrestricted, the member sees every guest their role allows;
// restricted, only the ticked guests (none when nothing is ticked), on each only the ticked
// permissions (still capped by the role). Only lifting the restriction here makes it go away.
import { GUEST_PERMISSIONS, type GuestPermission } from '@common/permissions';
import { useEffect, useMemo, useState } from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
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
import { accessExplained, accessFor, accessSaved, md, permGuest, restrictedTo } from '../messages';

const PERMS: readonly GuestPermission[] = GUEST_PERMISSIONS;
const PERM_WORDS: Record<GuestPermission, MessageDescriptor> = {
  view: md.permView,
  console: md.permConsole,
  power: md.permPower,
  snapshot: md.permSnapshot,
};
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
  const t = useIntl().formatMessage;

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
          toast({ variant: 'success', title: t(accessSaved, { email: member?.email ?? '' }) });
          onClose();
        },
      },
    );
  };

  return (
    <Dialog open={open} onOpenChange={(o) => !o && onClose()}>
      <DialogContent wide>
        <DialogHeading
          title={t(accessFor, { email: member?.email ?? '' })}
          description={t(accessExplained, { role: member?.role ?? '' })}
        />
        {isAdmin ? (
          <Alert>{t(md.adminsNeverRestricted)}</Alert>
        ) : (
          <div className="flex items-center gap-2">
            <Switch id="member-restricted" checked={restricted} onCheckedChange={setRestriction} />
            <Label htmlFor="member-restricted">{t(md.restrictedToTicked)}</Label>
          </div>
        )}
        {!restricted ? (
          <Alert>{t(md.notRestricted)}</Alert>
        ) : sel.size > 0 ? (
          <Alert variant="warning">{t(restrictedTo, { count: sel.size })}</Alert>
        ) : (
          <Alert variant="warning">{t(md.restrictedToNone)}</Alert>
        )}
        <SearchInput
          aria-label={t(md.searchGuests)}
          placeholder={t(md.searchGuests)}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        {assignments.isPending || vms.isPending ? (
          <Skeleton className="h-48" />
        ) : assignments.isError ? (
          <ErrorAlert error={assignments.error} />
        ) : vms.isError ? (
          <ErrorAlert error={vms.error} title={t(md.guestsFailed)} />
        ) : (
          <div className="max-h-80 overflow-y-auto rounded-md border">
            <ListTable
              columns={[
                t(md.guest),
                ...PERMS.map((p) => ({ label: t(PERM_WORDS[p]), className: 'text-center capitalize' })),
              ]}
              items={guests}
              rowKey={(g) => keyOf(g.serverId, g.vmid)}
            >
              {(g) => {
                const k = keyOf(g.serverId, g.vmid);
                const perms = sel.get(k);
                return (
                  <>
                    <TableCell>
                      <span className="block font-medium">{guestLabel(g, t)}</span>
                      <span className="text-xs text-muted-foreground">
                        {g.vmid} · {serverNames.get(g.serverId) ?? ''}
                      </span>
                    </TableCell>
                    {PERMS.map((p) => (
                      <TableCell key={p} className="text-center">
                        <Checkbox
                          aria-label={t(permGuest, { perm: t(PERM_WORDS[p]), guest: guestLabel(g, t) })}
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
              {t(md.lift)}
            </Button>
          ) : null}
          <Button onClick={save} disabled={put.isPending}>
            {t(md.save)}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
