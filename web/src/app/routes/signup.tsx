// /signup: self-service accounts (NEXUS_SIGNUP=open). A closed server says so plainly.
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useSignup } from '@/features/auth/api/signup';
import { EmailField, FullNameField, NewPasswordField } from '@/features/auth/components/account-fields';
import { errorMessage, fieldErrors, isApiError } from '@/lib/api-client';
import { AuthCard } from '../layouts/auth-card';

export function Component() {
  const navigate = useNavigate();
  const signup = useSignup();
  const [form, setForm] = useState({ fullName: '', email: '', password: '' });
  const errs = fieldErrors(signup.error);
  const closed = isApiError(signup.error, 'auth.signup_closed');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    signup.mutate(
      {
        email: form.email,
        password: form.password,
        ...(form.fullName.trim() ? { fullName: form.fullName.trim() } : {}),
      },
      { onSuccess: () => navigate('/', { replace: true }) },
    );
  };

  return (
    <AuthCard title="Create an account" description="You start without tenants; an administrator adds you to one.">
      {closed ? (
        <div className="grid gap-4">
          <Alert variant="warning">
            Sign-up is closed on this server. Ask an administrator for an invitation link.
          </Alert>
          <Button asChild variant="outline">
            <Link to="/login">Back to sign in</Link>
          </Button>
        </div>
      ) : (
        <form className="grid gap-4" onSubmit={onSubmit} noValidate>
          {signup.error && Object.keys(errs).length === 0 ? (
            <Alert variant="destructive">{errorMessage(signup.error)}</Alert>
          ) : null}
          <FullNameField
            autoComplete="name"
            value={form.fullName}
            onChange={(fullName) => setForm({ ...form, fullName })}
            error={errs.fullName}
          />
          <EmailField value={form.email} onChange={(email) => setForm({ ...form, email })} error={errs.email} />
          <NewPasswordField
            minLength={12}
            value={form.password}
            onChange={(password) => setForm({ ...form, password })}
            error={errs.password}
          />
          <Button type="submit" disabled={signup.isPending}>
            {signup.isPending ? 'Creating…' : 'Create account'}
          </Button>
          <p className="text-center text-sm text-muted-foreground">
            Have an account?{' '}
            <Link to="/login" className="text-brand-text hover:underline">
              Sign in
            </Link>
          </p>
        </form>
      )}
    </AuthCard>
  );
}
