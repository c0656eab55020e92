// /invitations/:token: a person invited to a tenant chooses a password and joins.
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { Spinner } from '@/components/ui/misc';
import { useAcceptInvitation } from '@/features/auth/api/accept-invitation';
import { useInvitation } from '@/features/auth/api/get-invitation';
import { FullNameField, NewPasswordField } from '@/features/auth/components/account-fields';
import { errorMessage, fieldErrors } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { AuthCard } from '../layouts/auth-card';

export function Component() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const info = useInvitation(token);
  const accept = useAcceptInvitation(token);
  const [form, setForm] = useState({ fullName: '', password: '' });
  const errs = fieldErrors(accept.error);

  if (info.isPending) {
    return (
      <AuthCard title="Invitation">
        <div className="flex justify-center py-6">
          <Spinner />
        </div>
      </AuthCard>
    );
  }
  if (info.isError) {
    return (
      <AuthCard title="Invitation">
        <div className="grid gap-4">
          <Alert variant="destructive">This invitation link is invalid, expired or already used.</Alert>
          <Button asChild variant="outline">
            <Link to="/login">Sign in</Link>
          </Button>
        </div>
      </AuthCard>
    );
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    accept.mutate(
      { password: form.password, ...(form.fullName.trim() ? { fullName: form.fullName.trim() } : {}) },
      { onSuccess: () => navigate('/', { replace: true }) },
    );
  };

  const inv = info.data;
  return (
    <AuthCard
      title={inv.tenantName ? `Join ${inv.tenantName}` : 'Join Nexus'}
      description={
        <>
          {inv.role ? `You are invited as ${inv.role}. ` : ''}The link is valid until {formatDateTime(inv.expiresAt)}.
        </>
      }
    >
      <form className="grid gap-4" onSubmit={onSubmit} noValidate>
        {accept.error && Object.keys(errs).length === 0 ? (
          <Alert variant="destructive">{errorMessage(accept.error)}</Alert>
        ) : null}
        {inv.email ? (
          <Field id="email" label="Email">
            <Input id="email" type="email" value={inv.email} readOnly disabled />
          </Field>
        ) : null}
        <FullNameField
          autoComplete="name"
          value={form.fullName}
          onChange={(fullName) => setForm({ ...form, fullName })}
          error={errs.fullName}
        />
        <NewPasswordField
          value={form.password}
          onChange={(password) => setForm({ ...form, password })}
          error={errs.password}
        />
        <Button type="submit" disabled={accept.isPending}>
          {accept.isPending ? 'Joining…' : 'Accept invitation'}
        </Button>
      </form>
    </AuthCard>
  );
}
