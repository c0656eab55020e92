// Creating an account (global admins): e-mail, optional name, initial password, global role.
import { useState } from 'react';
import { FormDialog } from '@/components/form-dialog';
import { PasswordField, TextField } from '@/components/text-field';
import type { DialogOpenProps } from '@/components/ui/dialog';
import { Field } from '@/components/ui/label';
import { toast } from '@/components/ui/toast';
import { fieldErrors } from '@/lib/api-client';
import { useCreateUser } from '../api/create-user';
import { type GlobalRole, GlobalRoleSelect } from './global-role-select';

export function CreateUserDialog({ open, onOpenChange }: DialogOpenProps) {
  const create = useCreateUser();
  const [form, setForm] = useState({ email: '', fullName: '', password: '', globalRole: 'user' as GlobalRole });
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
      <TextField
        id="new-email"
        label="Email"
        error={errs.email}
        type="email"
        required
        value={form.email}
        onValueChange={(v) => setForm({ ...form, email: v })}
      />
      <TextField
        id="new-fullName"
        label="Full name (optional)"
        error={errs.fullName}
        value={form.fullName}
        onValueChange={(v) => setForm({ ...form, fullName: v })}
      />
      <PasswordField
        fresh
        id="new-password"
        label="Initial password"
        hint="At least 12 characters."
        error={errs.password}
        required
        value={form.password}
        onValueChange={(v) => setForm({ ...form, password: v })}
      />
      <Field id="new-role" label="Global role">
        <GlobalRoleSelect
          id="new-role"
          value={form.globalRole}
          onValueChange={(globalRole) => setForm({ ...form, globalRole })}
        />
      </Field>
    </FormDialog>
  );
}
