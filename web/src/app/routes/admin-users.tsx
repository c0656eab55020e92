// /admin/users: every account, global roles, disabling, password resets and deletion.
import type { User } from '@common/schemas/auth';
import { Plus, Trash } from 'lucide-react';
import { useState } from 'react';
import { DeleteDialog } from '@/components/delete-dialog';
import { FormDialog } from '@/components/form-dialog';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input, NativeSelect, SearchInput } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { EmptyState, PageHeader, Skeleton } from '@/components/ui/misc';
import { Switch } from '@/components/ui/switch';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import { useMeData } from '@/features/auth/api/get-me';
import { useCreateUser } from '@/features/users/api/create-user';
import { useDeleteUser } from '@/features/users/api/delete-user';
import { useUsers } from '@/features/users/api/get-users';
import { useUpdateUser } from '@/features/users/api/update-user';
import { errorMessage, fieldErrors } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';

function CreateUserDialog({ open, onOpenChange }: { open: boolean; onOpenChange(o: boolean): void }) {
  const create = useCreateUser();
  const [form, setForm] = useState({ email: '', fullName: '', password: '', globalRole: 'user' as 'user' | 'admin' });
  const errs = fieldErrors(create.error);
  const onSubmit = () =>
    create.mutate(
      {
        email: form.email,
        password: form.password,
        globalRole: form.globalRole,
        ...(form.fullName.trim() ? { fullName: form.fullName.trim() } : {}),
      },
      {
        onSuccess: (u) => {
          toast({ variant: 'success', title: `Created ${u.email}` });
          setForm({ email: '', fullName: '', password: '', globalRole: 'user' });
          onOpenChange(false);
        },
      },
    );
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="New user"
      description="They sign in with this e-mail and password; add them to tenants afterwards."
      error={create.error}
      onSubmit={onSubmit}
      submitLabel="Create user"
      submitDisabled={create.isPending}
    >
      <Field id="new-email" label="Email" error={errs.email}>
        <Input
          id="new-email"
          type="email"
          required
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
      </Field>
      <Field id="new-fullName" label="Full name (optional)" error={errs.fullName}>
        <Input
          id="new-fullName"
          value={form.fullName}
          onChange={(e) => setForm({ ...form, fullName: e.target.value })}
        />
      </Field>
      <Field id="new-password" label="Initial password" hint="At least 12 characters." error={errs.password}>
        <Input
          id="new-password"
          type="password"
          autoComplete="new-password"
          required
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
      </Field>
      <Field id="new-role" label="Global role">
        <NativeSelect
          id="new-role"
          value={form.globalRole}
          onChange={(e) => setForm({ ...form, globalRole: e.target.value as 'user' | 'admin' })}
        >
          <option value="user">User</option>
          <option value="admin">Global admin</option>
        </NativeSelect>
      </Field>
    </FormDialog>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: User | null; onClose(): void }) {
  const update = useUpdateUser();
  const [password, setPassword] = useState('');
  const errs = fieldErrors(update.error);
  return (
    <FormDialog
      open={user !== null}
      onOpenChange={(o) => !o && onClose()}
      title="Reset password"
      description={<>{user?.email}: their sessions end and they sign in with the new password.</>}
      error={update.error}
      onSubmit={() => {
        if (!user) return;
        update.mutate(
          { id: user.id, body: { password } },
          {
            onSuccess: () => {
              toast({ variant: 'success', title: `Password reset for ${user.email}` });
              setPassword('');
              onClose();
            },
          },
        );
      }}
      submitLabel="Reset password"
      submitDisabled={password.length < 12 || update.isPending}
    >
      <Field id="reset-password" label="New password" error={errs.password}>
        <Input
          id="reset-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
    </FormDialog>
  );
}

export function Component() {
  const me = useMeData();
  const [search, setSearch] = useState('');
  const users = useUsers(search.trim());
  const update = useUpdateUser();
  const del = useDeleteUser();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);

  if (!me.can.manageUsers)
    return <EmptyState title="No access" description="Only global administrators manage users." />;

  const patch = (u: User, body: Parameters<typeof update.mutate>[0]['body'], what: string) =>
    update.mutate(
      { id: u.id, body },
      {
        onSuccess: () => toast({ variant: 'success', title: `${u.email}: ${what}` }),
        onError: (e) => toast({ variant: 'error', title: `Could not update ${u.email}`, description: errorMessage(e) }),
      },
    );

  return (
    <>
      <PageHeader
        title="Users"
        description="Accounts on this Nexus and their global roles."
        actions={
          <Button onClick={() => setCreating(true)}>
            <Plus /> New user
          </Button>
        }
      />
      <SearchInput
        className="mb-4 max-w-sm"
        aria-label="Search users"
        placeholder="Search e-mail or name"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {users.isPending ? (
        <Skeleton className="h-64" />
      ) : users.isError ? (
        <ErrorAlert error={users.error} />
      ) : (
        <Card>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>User</TableHead>
                <TableHead>Global role</TableHead>
                <TableHead>Enabled</TableHead>
                <TableHead className="hidden md:table-cell">Created</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {users.data.users.map((u) => {
                const self = u.id === me.user.id;
                return (
                  <TableRow key={u.id}>
                    <TableCell className="max-w-64">
                      <span className="block truncate font-medium">{u.fullName || u.email}</span>
                      <span className="block truncate text-xs text-muted-foreground">
                        {u.email}
                        {self ? ' · you' : ''}
                      </span>
                    </TableCell>
                    <TableCell>
                      <NativeSelect
                        aria-label={`Global role of ${u.email}`}
                        className="w-36"
                        value={u.globalRole}
                        disabled={self}
                        onChange={(e) =>
                          patch(u, { globalRole: e.target.value as 'admin' | 'user' }, `role set to ${e.target.value}`)
                        }
                      >
                        <option value="user">User</option>
                        <option value="admin">Global admin</option>
                      </NativeSelect>
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
                    <TableCell className="hidden whitespace-nowrap md:table-cell">
                      {formatDateTime(u.createdAt)}
                    </TableCell>
                    <TableCell>
                      <div className="flex justify-end gap-1">
                        <Button variant="ghost" size="sm" onClick={() => setResetting(u)}>
                          Reset password
                        </Button>
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          aria-label={`Delete ${u.email}`}
                          disabled={self}
                          onClick={() => setDeleting(u)}
                        >
                          <Trash />
                        </Button>
                      </div>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Card>
      )}
      <CreateUserDialog open={creating} onOpenChange={setCreating} />
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
      <DeleteDialog
        target={deleting}
        name={(u) => u.email}
        onClose={() => setDeleting(null)}
        description="The account, its memberships and tokens are removed; its live consoles close. Audit entries stay."
        confirmLabel="Delete user"
        remove={del}
      />
    </>
  );
}
