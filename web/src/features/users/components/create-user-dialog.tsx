// Creating an account (global admins): e-mail, optional name, initial password, global role.
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { FormDialog } from '@/components/form-dialog';
import { PasswordField, TextField } from '@/components/text-field';
import type { DialogOpenProps } from '@/components/ui/dialog';
import { Field } from '@/components/ui/label';
import { toast } from '@/components/ui/toast';
import { fieldErrors } from '@/lib/api-client';
import { useCreateUser } from '../api/create-user';
import { created, newUserText, us } from '../messages';
import { type GlobalRole, GlobalRoleSelect } from './global-role-select';

export function CreateUserDialog({ open, onOpenChange }: DialogOpenProps) {
  const create = useCreateUser();
  const [form, setForm] = useState({ email: '', fullName: '', password: '', globalRole: 'user' as GlobalRole });
  const errs = fieldErrors(create.error);
  const t = useIntl().formatMessage;
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
          toast({ variant: 'success', title: t(created, { email: u.email }) });
          setForm({ email: '', fullName: '', password: '', globalRole: 'user' });
          onOpenChange(false);
        },
      },
    );
  return (
    <FormDialog open={open} onOpenChange={onOpenChange} text={newUserText} mutation={create} onSubmit={onSubmit}>
      <TextField
        id="new-email"
        label={t(us.email)}
        error={errs.email}
        type="email"
        required
        value={form.email}
        onValueChange={(v) => setForm({ ...form, email: v })}
      />
      <TextField
        id="new-fullName"
        label={t(us.fullName)}
        error={errs.fullName}
        value={form.fullName}
        onValueChange={(v) => setForm({ ...form, fullName: v })}
      />
      <PasswordField
        fresh
        id="new-password"
        label={t(us.initialPassword)}
        hint={t(us.passwordHint)}
        error={errs.password}
        required
        value={form.password}
        onValueChange={(v) => setForm({ ...form, password: v })}
      />
      <Field id="new-role" label={t(us.globalRole)}>
        <GlobalRoleSelect
          id="new-role"
          value={form.globalRole}
          onValueChange={(globalRole) => setForm({ ...form, globalRole })}
        />
      </Field>
    </FormDialog>
  );
}
