// The tenant's members with role, guest restriction and since when; those who manage members
// change roles, edit guest access and remove members here.
import type { Tenant } from '@common/schemas/tenants';
import { Users } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useConfirmedAction } from '@/components/confirmed-action';
import { QueryTable } from '@/components/list-table';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { DeleteRowButton, RowActions, TableCell } from '@/components/ui/table';
import { toast, toastError } from '@/components/ui/toast';
import { UserIdentity } from '@/features/users/components/user-identity';
import { formatDateTime } from '@/lib/format';
import { type TenantMember, useMembers } from '../api/get-members';
import { useRemoveMember } from '../api/remove-member';
import { useSetMemberRole } from '../api/set-member-role';
import { mm, nowRole, removeMemberText, removeNamed, roleOf } from '../messages';
import { AssignmentsDialog } from './assignments-dialog';
import { TenantRoleSelect } from './tenant-role-select';

export function MembersTable({ tenant, myId }: { tenant: Tenant; myId: string }) {
  const members = useMembers(tenant.id);
  const setRole = useSetMemberRole(tenant.id);
  const remove = useRemoveMember(tenant.id);
  const [editing, setEditing] = useState<TenantMember | null>(null);
  const manage = tenant.can.manageMembers;
  const t = useIntl().formatMessage;
  const remover = useConfirmedAction<TenantMember>(removeMemberText, remove, 'userId', 'email');

  return (
    <>
      <QueryTable
        query={members}
        rows={(d) => d.members}
        pending={<Skeleton className="h-64" />}
        empty={<EmptyState icon={<Users />} title={t(mm.none)} />}
        columns={[t(mm.member), t(mm.role), t(mm.guests), { label: t(mm.since), className: 'hidden md:table-cell' }]}
        actions={manage}
        rowKey={(m) => m.userId}
      >
        {(m) => (
          <>
            <TableCell className="max-w-64">
              <UserIdentity fullName={m.fullName} email={m.email} self={m.userId === myId} />
            </TableCell>
            <TableCell>
              {manage ? (
                <TenantRoleSelect
                  aria-label={t(roleOf, { email: m.email })}
                  className="w-32"
                  value={m.role}
                  onValueChange={(role) =>
                    setRole.mutate(
                      { userId: m.userId, role },
                      {
                        onSuccess: (r) =>
                          toast({ variant: 'success', title: t(nowRole, { email: m.email, role: r.role }) }),
                        onError: toastError(t(mm.roleFailed)),
                      },
                    )
                  }
                />
              ) : (
                <Badge variant="secondary">{m.role}</Badge>
              )}
            </TableCell>
            <TableCell>
              {m.restricted ? (
                <Badge variant="warning">{t(mm.restricted)}</Badge>
              ) : (
                <span className="text-sm text-muted-foreground">{t(mm.all)}</span>
              )}
            </TableCell>
            <TableCell className="hidden whitespace-nowrap md:table-cell">{formatDateTime(m.createdAt)}</TableCell>
            {manage ? (
              <TableCell>
                <RowActions>
                  <Button variant="ghost" size="sm" onClick={() => setEditing(m)}>
                    {t(mm.guestAccess)}
                  </Button>
                  <DeleteRowButton label={t(removeNamed, { email: m.email })} onClick={() => remover.ask(m)} />
                </RowActions>
              </TableCell>
            ) : null}
          </>
        )}
      </QueryTable>
      <AssignmentsDialog tenantId={tenant.id} member={editing} onClose={() => setEditing(null)} />
      {remover.dialog}
    </>
  );
}
