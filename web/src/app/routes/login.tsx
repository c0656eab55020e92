// /login: e-mail and password; back to where the user was (?next=) afterwards.
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { useAuthConfig } from '@/features/auth/api/get-auth-config';
import { useMe } from '@/features/auth/api/get-me';
import { useLogin } from '@/features/auth/api/login';
import { errorMessage, isApiError } from '@/lib/api-client';
import { AuthCard, safeNext } from '../layouts/auth-card';

export function Component() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const expired = params.get('reason') === 'expired';
  const navigate = useNavigate();
  const me = useMe();
  const authConfig = useAuthConfig();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (me.isSuccess && !login.isPending) return <Navigate to={next} replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password }, { onSuccess: () => navigate(next, { replace: true }) });
  };

  const error = login.error;
  const message = isApiError(error, 'auth.invalid_credentials')
    ? 'Wrong e-mail or password.'
    : isApiError(error, 'auth.rate_limited')
      ? 'Too many attempts. Wait a minute and try again.'
      : error
        ? errorMessage(error)
        : null;

  return (
    <AuthCard title="Sign in" description="Use your Nexus account.">
      <form className="grid gap-4" onSubmit={onSubmit} noValidate>
        {expired && !error ? <Alert variant="warning">Your session ended. Sign in again to continue.</Alert> : null}
        {message ? <Alert variant="destructive">{message}</Alert> : null}
        <Field id="email" label="Email">
          <Input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field id="password" label="Password">
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <Button type="submit" disabled={login.isPending || !email || !password}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </Button>
        <p className="text-center text-sm text-muted-foreground">
          {authConfig.data?.signupOpen ? (
            <>
              No account?{' '}
              <Link to="/signup" className="text-brand-text hover:underline">
                Sign up
              </Link>
              .
            </>
          ) : (
            'No account? Ask an administrator for an invitation.'
          )}
        </p>
      </form>
    </AuthCard>
  );
}
