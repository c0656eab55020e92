// /invitations/:token: a person invited to a tenant joins. Someone with an account signs in as the
// invited e-mail and accepts; someone new chooses a password, which creates the account.
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { Spinner } from '@/components/ui/misc';
import { useAcceptInvitation } from '@/features/auth/api/accept-invitation';
import { type Invitation, useInvitation } from '@/features/auth/api/get-invitation';
import { useMe } from '@/features/auth/api/get-me';
import { useJoinInvitation } from '@/features/auth/api/join-invitation';
import { useLogout } from '@/features/auth/api/logout';
import { FullNameField, NewPasswordField } from '@/features/auth/components/account-fields';
import { errorMessage, fieldErrors, isApiError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { AuthCard } from '../layouts/auth-card';

/** Signed in: accept as this account, or sign out when it is not the invited one. */
function JoinAsSignedIn({ token, inv, email }: { token: string; inv: Invitation; email: string }) {
  const navigate = useNavigate();
  const join = useJoinInvitation(token);
  const logout = useLogout();
  if (inv.email && inv.email.toLowerCase() !== email.toLowerCase()) {
    return (
      <div className="grid gap-4">
        <Alert variant="destructive">
          This invitation is for {inv.email}, but you are signed in as {email}. Sign out, then open the link again and
          sign in as {inv.email}.
        </Alert>
        <Button variant="outline" disabled={logout.isPending} onClick={() => logout.mutate()}>
          Sign out
        </Button>
      </div>
    );
  }
  return (
    <div className="grid gap-4">
      {join.error ? <Alert variant="destructive">{errorMessage(join.error)}</Alert> : null}
      <p className="text-sm">
        You are signed in as <span className="font-medium">{email}</span>.
      </p>
      <Button
        disabled={join.isPending}
        onClick={() =>
          join.mutate(undefined, { onSuccess: (j) => navigate(`/tenants/${j.tenantId}`, { replace: true }) })
        }
      >
        {join.isPending ? 'Joining…' : 'Accept invitation'}
      </Button>
    </div>
  );
}

/** Not signed in: create the account from the link, or sign in to an existing one first. */
function CreateAccount({ token, inv }: { token: string; inv: Invitation }) {
  const navigate = useNavigate();
  const accept = useAcceptInvitation(token);
  const [form, setForm] = useState({ fullName: '', password: '' });
  const errs = fieldErrors(accept.error);
  const signIn = `/login?${new URLSearchParams({ next: `/invitations/${token}` }).toString()}`;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    accept.mutate(
      { password: form.password, ...(form.fullName.trim() ? { fullName: form.fullName.trim() } : {}) },
      { onSuccess: () => navigate('/', { replace: true }) },
    );
  };
  return (
    <form className="grid gap-4" onSubmit={onSubmit} noValidate>
      {isApiError(accept.error, 'user.email_taken') ? (
        <Alert variant="destructive">
          An account with this e-mail exists already. <Link to={signIn}>Sign in</Link> to accept the invitation.
        </Alert>
      ) : accept.error && Object.keys(errs).length === 0 ? (
        <Alert variant="destructive">{errorMessage(accept.error)}</Alert>
      ) : null}
      <p className="text-sm text-muted-foreground">
        Already have an account? <Link to={signIn}>Sign in to accept</Link>. New here? Choose a password.
      </p>
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
        {accept.isPending ? 'Joining…' : 'Create account and join'}
      </Button>
    </form>
  );
}

export function Component() {
  const { token = '' } = useParams();
  const info = useInvitation(token);
  const me = useMe();

  if (info.isPending || me.isPending) {
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
      {me.isSuccess ? (
        <JoinAsSignedIn token={token} inv={inv} email={me.data.user.email} />
      ) : (
        <CreateAccount token={token} inv={inv} />
      )}
    </AuthCard>
  );
}
