// Every account with a search: global role, enabled, password reset and deletion. The caller's
// own row cannot demote, disable or delete itself.
import type { User } from '@common/schemas/auth';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useConfirmedAction, useDeleteDialog } from '@/components/confirmed-action';
import { QueryTable } from '@/components/list-table';
import { Marker } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
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
import {
  couldNotUpdate,
  deleteName,
  deleteUserText,
  enabledOf,
  enabledToast,
  resetFactorText,
  roleOf,
  roleSet,
  us,
} from '../messages';
import { GlobalRoleSelect } from './global-role-select';
import { ResetPasswordDialog } from './reset-password-dialog';
import { UserIdentity } from './user-identity';

export function UsersTable({ myId }: { myId: string }) {
  const [search, setSearch] = useState('');
  const users = useUsers(search.trim());
  const update = useUpdateUser();
  const del = useDeleteUser();
  const resetFactor = useResetSecondFactor();
  const t = useIntl().formatMessage;
  const factorResetter = useConfirmedAction<User>(resetFactorText, resetFactor, 'id', 'email');
  const deleter = useDeleteDialog<User>(deleteUserText, del, 'email');
  const [resetting, setResetting] = useState<User | null>(null);

  const patch = (u: User, body: Parameters<typeof update.mutate>[0]['body'], what: string) =>
    update.mutate(
      { id: u.id, body },
      {
        onSuccess: () => toast({ variant: 'success', title: what }),
        onError: toastError(t(couldNotUpdate, { email: u.email })),
      },
    );

  return (
    <>
      <SearchInput
        className="mb-4 max-w-sm"
        aria-label={t(us.search)}
        placeholder={t(us.searchPlaceholder)}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <QueryTable
        query={users}
        rows={(d) => d.users}
        pending={<Skeleton className="h-64" />}
        columns={[
          t(us.user),
          t(us.globalRole),
          t(us.enabled),
          { label: t(us.created), className: 'hidden md:table-cell' },
        ]}
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
                  aria-label={t(roleOf, { email: u.email })}
                  className="w-40 min-w-max"
                  value={u.globalRole}
                  disabled={self}
                  onValueChange={(globalRole) =>
                    patch(u, { globalRole }, t(roleSet, { email: u.email, role: globalRole }))
                  }
                />
              </TableCell>
              <TableCell>
                <Switch
                  aria-label={t(enabledOf, { email: u.email })}
                  checked={!u.disabled}
                  disabled={self}
                  onCheckedChange={(on) =>
                    patch(u, { disabled: !on }, t(enabledToast, { email: u.email, enabled: on ? 'yes' : 'no' }))
                  }
                />
                <Marker when={u.disabled} label={us.disabled} variant="warning" />
              </TableCell>
              <TableCell className="hidden whitespace-nowrap md:table-cell">{formatDateTime(u.createdAt)}</TableCell>
              <TableCell>
                <RowActions>
                  <Button variant="ghost" size="sm" onClick={() => setResetting(u)}>
                    {t(us.resetPassword)}
                  </Button>
                  <Button variant="ghost" size="sm" disabled={self} onClick={() => factorResetter.ask(u)}>
                    {t(resetFactorText.confirm)}
                  </Button>
                  <DeleteRowButton
                    label={t(deleteName, { name: u.email })}
                    disabled={self}
                    onClick={() => deleter.ask(u)}
                  />
                </RowActions>
              </TableCell>
            </>
          );
        }}
      </QueryTable>
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
      {factorResetter.dialog}
      {deleter.dialog}
    </>
  );
}
