// Signing in with e-mail and password, then on to `next`; someone already signed in goes there at once.
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { PasswordField, TextField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { errorMessage, isApiError } from '@/lib/api-client';
import { useAuthConfig } from '../api/get-auth-config';
import { useMe } from '../api/get-me';
import { useLogin } from '../api/login';

export function LoginForm({ next, reason }: { next: string; reason: 'expired' | 'signed-out' | null }) {
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
    : error
      ? errorMessage(error) // a lockout says how long it lasts
      : null;

  return (
    <form className="grid gap-4" onSubmit={onSubmit} noValidate>
      {reason === 'expired' && !error ? (
        <Alert variant="warning">Your session expired or was ended elsewhere. Sign in again to continue.</Alert>
      ) : null}
      {reason === 'signed-out' && !error ? <Alert>You signed out.</Alert> : null}
      {message ? <Alert variant="destructive">{message}</Alert> : null}
      <TextField
        id="email"
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        value={email}
        onValueChange={setEmail}
      />
      <PasswordField
        id="password"
        label="Password"
        name="password"
        required
        value={password}
        onValueChange={setPassword}
      />
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
  );
}
