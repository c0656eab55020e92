// Every account with a search: global role, enabled, password reset and deletion. The caller's
// own row cannot demote, disable or delete itself.
import type { User } from '@common/schemas/auth';
import { useState } from 'react';
import { useDeleteDialog } from '@/components/delete-dialog';
import { QueryTable } from '@/components/list-table';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { SearchInput } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/misc';
import { Switch } from '@/components/ui/switch';
import { DeleteRowButton, RowActions, TableCell } from '@/components/ui/table';
import { toast, toastError } from '@/components/ui/toast';
import { formatDateTime } from '@/lib/format';
import { useDeleteUser } from '../api/delete-user';
import { useUsers } from '../api/get-users';
import { useResetSecondFactor } from '../api/reset-second-factor';
import { useUpdateUser } from '../api/update-user';
import { GlobalRoleSelect } from './global-role-select';
import { ResetPasswordDialog } from './reset-password-dialog';
import { UserIdentity } from './user-identity';

export function UsersTable({ myId }: { myId: string }) {
  const [search, setSearch] = useState('');
  const users = useUsers(search.trim());
  const update = useUpdateUser();
  const del = useDeleteUser();
  const deleter = useDeleteDialog({
    name: (u: User) => u.email,
    description: 'The account, its memberships and tokens are removed; its live consoles close. Audit entries stay.',
    confirmLabel: 'Delete user',
    remove: del,
  });
  const [resetting, setResetting] = useState<User | null>(null);
  const [resettingFactor, setResettingFactor] = useState<User | null>(null);
  const resetFactor = useResetSecondFactor();

  const patch = (u: User, body: Parameters<typeof update.mutate>[0]['body'], what: string) =>
    update.mutate(
      { id: u.id, body },
      {
        onSuccess: () => toast({ variant: 'success', title: `${u.email}: ${what}` }),
        onError: toastError(`Could not update ${u.email}`),
      },
    );

  return (
    <>
      <SearchInput
        className="mb-4 max-w-sm"
        aria-label="Search users"
        placeholder="Search e-mail or name"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <QueryTable
        query={users}
        rows={(d) => d.users}
        pending={<Skeleton className="h-64" />}
        columns={['User', 'Global role', 'Enabled', { label: 'Created', className: 'hidden md:table-cell' }]}
        actions
        rowKey={(u) => u.id}
      >
        {(u) => {
          const self = u.id === myId;
          return (
            <>
              <TableCell className="max-w-64">
                <UserIdentity fullName={u.fullName} email={u.email} self={self} />
              </TableCell>
              <TableCell>
                <GlobalRoleSelect
                  aria-label={`Global role of ${u.email}`}
                  className="w-40 min-w-max"
                  value={u.globalRole}
                  disabled={self}
                  onValueChange={(globalRole) => patch(u, { globalRole }, `role set to ${globalRole}`)}
                />
              </TableCell>
              <TableCell>
                <Switch
                  aria-label={`${u.email} enabled`}
                  checked={!u.disabled}
                  disabled={self}
                  onCheckedChange={(on) => patch(u, { disabled: !on }, on ? 'enabled' : 'disabled')}
                />
                {u.disabled ? (
                  <Badge variant="warning" className="ml-2">
                    disabled
                  </Badge>
                ) : null}
              </TableCell>
              <TableCell className="hidden whitespace-nowrap md:table-cell">{formatDateTime(u.createdAt)}</TableCell>
              <TableCell>
                <RowActions>
                  <Button variant="ghost" size="sm" onClick={() => setResetting(u)}>
                    Reset password
                  </Button>
                  <Button variant="ghost" size="sm" disabled={self} onClick={() => setResettingFactor(u)}>
                    Reset second factor
                  </Button>
                  <DeleteRowButton label={`Delete ${u.email}`} disabled={self} onClick={() => deleter.ask(u)} />
                </RowActions>
              </TableCell>
            </>
          );
        }}
      </QueryTable>
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
      <ConfirmDialog
        open={resettingFactor !== null}
        onOpenChange={(o) => !o && setResettingFactor(null)}
        title={`Reset the second factor of ${resettingFactor?.email ?? ''}?`}
        description="Their authenticator app and recovery codes stop working; they sign in with the password and set up a new one (audited)."
        confirmLabel="Reset second factor"
        onConfirm={() => {
          const u = resettingFactor;
          setResettingFactor(null);
          if (!u) return;
          resetFactor.mutate(u.id, {
            onSuccess: () => toast({ variant: 'success', title: `${u.email}: second factor reset` }),
            onError: toastError(`Could not reset ${u.email}`),
          });
        }}
      />
      {deleter.dialog}
    </>
  );
}
