// /admin/users: every account, global roles, disabling, password resets and deletion.
import { Plus } from 'lucide-react';
import { DialogButton } from '@/components/dialog-button';
import { Page } from '@/components/page';
import { useMeData } from '@/features/auth/api/get-me';
import { CreateUserDialog } from '@/features/users/components/create-user-dialog';
import { UsersTable } from '@/features/users/components/users-table';

export function Component() {
  const me = useMeData();
  return (
    <Page
      title="Users"
      description="Accounts on this Nexus and their global roles."
      noAccess={!me.can.manageUsers && 'Only global administrators manage users.'}
      actions={
        <DialogButton dialog={(p) => <CreateUserDialog {...p} />}>
          <Plus /> New user
        </DialogButton>
      }
    >
      <UsersTable myId={me.user.id} />
    </Page>
  );
}
