// The tenant's members with role, guest restriction and since when; those who manage members
// change roles, edit guest access and remove members here.
import type { Tenant } from '@common/schemas/tenants';
import { Users } from 'lucide-react';
import { useState } from 'react';
import { QueryTable } from '@/components/list-table';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { DeleteRowButton, RowActions, TableCell } from '@/components/ui/table';
import { toast, toastError } from '@/components/ui/toast';
import { UserIdentity } from '@/features/users/components/user-identity';
import { formatDateTime } from '@/lib/format';
import { type TenantMember, useMembers } from '../api/get-members';
import { useRemoveMember } from '../api/remove-member';
import { useSetMemberRole } from '../api/set-member-role';
import { AssignmentsDialog } from './assignments-dialog';
import { TenantRoleSelect } from './tenant-role-select';

export function MembersTable({ tenant, myId }: { tenant: Tenant; myId: string }) {
  const members = useMembers(tenant.id);
  const setRole = useSetMemberRole(tenant.id);
  const remove = useRemoveMember(tenant.id);
  const [editing, setEditing] = useState<TenantMember | null>(null);
  const [removing, setRemoving] = useState<TenantMember | null>(null);
  const manage = tenant.can.manageMembers;

  return (
    <>
      <QueryTable
        query={members}
        rows={(d) => d.members}
        pending={<Skeleton className="h-64" />}
        empty={<EmptyState icon={<Users />} title="No members yet" />}
        columns={['Member', 'Role', 'Guests', { label: 'Since', className: 'hidden md:table-cell' }]}
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
                  aria-label={`Role of ${m.email}`}
                  className="w-32"
                  value={m.role}
                  onValueChange={(role) =>
                    setRole.mutate(
                      { userId: m.userId, role },
                      {
                        onSuccess: (r) => toast({ variant: 'success', title: `${m.email} is now ${r.role}` }),
                        onError: toastError('Role not changed'),
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
                <Badge variant="warning">restricted</Badge>
              ) : (
                <span className="text-sm text-muted-foreground">all</span>
              )}
            </TableCell>
            <TableCell className="hidden whitespace-nowrap md:table-cell">{formatDateTime(m.createdAt)}</TableCell>
            {manage ? (
              <TableCell>
                <RowActions>
                  <Button variant="ghost" size="sm" onClick={() => setEditing(m)}>
                    Guest access
                  </Button>
                  <DeleteRowButton label={`Remove ${m.email}`} onClick={() => setRemoving(m)} />
                </RowActions>
              </TableCell>
            ) : null}
          </>
        )}
      </QueryTable>
      <AssignmentsDialog tenantId={tenant.id} member={editing} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(o) => !o && setRemoving(null)}
        title={`Remove ${removing?.email ?? ''}?`}
        description="They lose access to this tenant at once; their consoles close."
        confirmLabel="Remove"
        pending={remove.isPending}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.userId, { onSuccess: () => setRemoving(null), onError: toastError('Not removed') })
        }
      />
    </>
  );
}
