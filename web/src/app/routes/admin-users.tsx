// /admin/users: every account, global roles, disabling, password resets and deletion.
import { DialogButton } from '@/components/dialog-button';
import { Page } from '@/components/page';
import { useMeData } from '@/features/auth/api/get-me';
import { CreateUserDialog } from '@/features/users/components/create-user-dialog';
import { UsersTable } from '@/features/users/components/users-table';
import { us } from '@/features/users/messages';

export function Component() {
  const me = useMeData();
  const create = <DialogButton label={us.newUser} dialog={(p) => <CreateUserDialog {...p} />} />;
  return (
    <Page text={us} allowed={me.can.manageUsers} actions={create}>
      <UsersTable myId={me.user.id} />
    </Page>
  );
}
