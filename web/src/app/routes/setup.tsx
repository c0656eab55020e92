// /setup/:token: creating the first global administrator from the link printed at first start.
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useCompleteSetup } from '@/features/auth/api/complete-setup';
import { EmailField, FullNameField, NewPasswordField } from '@/features/auth/components/account-fields';
import { errorMessage, fieldErrors, isApiError } from '@/lib/api-client';
import { AuthCard } from '../layouts/auth-card';

export function Component() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const setup = useCompleteSetup();
  const [form, setForm] = useState({ fullName: '', email: '', password: '' });
  const errs = fieldErrors(setup.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setup.mutate(
      {
        token,
        email: form.email,
        password: form.password,
        ...(form.fullName.trim() ? { fullName: form.fullName.trim() } : {}),
      },
      { onSuccess: () => navigate('/admin', { replace: true }) },
    );
  };

  return (
    <AuthCard title="Set up Nexus" description="Create the first administrator account.">
      <form className="grid gap-4" onSubmit={onSubmit} noValidate>
        {isApiError(setup.error, 'auth.setup_invalid') ? (
          <Alert variant="destructive">This setup link is invalid or was already used.</Alert>
        ) : setup.error && Object.keys(errs).length === 0 ? (
          <Alert variant="destructive">{errorMessage(setup.error)}</Alert>
        ) : null}
        <FullNameField
          value={form.fullName}
          onChange={(fullName) => setForm({ ...form, fullName })}
          error={errs.fullName}
        />
        <EmailField value={form.email} onChange={(email) => setForm({ ...form, email })} error={errs.email} />
        <NewPasswordField
          value={form.password}
          onChange={(password) => setForm({ ...form, password })}
          error={errs.password}
        />
        <Button type="submit" disabled={setup.isPending}>
          {setup.isPending ? 'Creating…' : 'Create administrator'}
        </Button>
      </form>
    </AuthCard>
  );
}
