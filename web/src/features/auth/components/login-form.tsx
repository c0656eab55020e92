// Signing in: one button per identity provider, and e-mail and password (unless this Nexus leaves
// passwords to global admins: then only at /login?password=1, the break-glass), the second factor
// where the account has one; then on to `next`. Someone already signed in goes there at once.

import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { Fingerprint, KeyRound } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { PasswordField, TextField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { answerWithPasskey } from '@/features/account/api/passkeys';
import { errorMessage, isApiError } from '@/lib/api-client';
import { useAuthConfig } from '../api/get-auth-config';
import { useMe } from '../api/get-me';
import { providerLoginUrl, useSignInOptions } from '../api/get-providers';
import { useLogin, usePasskeyLogin, useSecondFactor } from '../api/login';

const SSO_ERRORS: Record<string, string> = {
  'sso.link_refused':
    'An account with your e-mail already exists here. It can be joined to single sign-on only when your provider confirms the e-mail address; ask an administrator.',
  'sso.state_invalid': 'The sign-in took too long or was started in another browser. Try again.',
  'sso.email_missing': 'Your sign-in provider did not tell Nexus your e-mail address.',
  'sso.account_disabled': 'This account is disabled.',
  'sso.failed': 'The sign-in provider could not be reached, or its answer was refused. Try again.',
  'sso.unknown_provider': 'That sign-in provider is not configured here.',
};

export function LoginForm({
  next,
  reason,
  ssoError = null,
  secondStep = false,
  breakGlass = false,
}: {
  next: string;
  reason: 'expired' | 'signed-out' | null;
  /** The code an identity provider's round trip ended with (`?error=`). */
  ssoError?: string | null;
  /** Back from a provider, the account's second factor is next (`?step=mfa`). */
  secondStep?: boolean;
  /** The password form even where passwords are for global admins only (`?password=1`). */
  breakGlass?: boolean;
}) {
  const navigate = useNavigate();
  const me = useMe();
  const authConfig = useAuthConfig();
  const options = useSignInOptions();
  const login = useLogin();
  const passkey = usePasskeyLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (me.isSuccess && !login.isPending) return <Navigate to={next} replace />;
  if (secondStep || (login.data && 'mfaRequired' in login.data)) {
    const methods: ('totp' | 'recovery' | 'passkey')[] =
      login.data && 'mfaRequired' in login.data ? login.data.methods : ['totp', 'recovery', 'passkey'];
    return (
      <SecondFactorStep
        methods={methods}
        onDone={() => navigate(next, { replace: true })}
        onRestart={() => {
          login.reset();
          navigate('/login', { replace: true });
        }}
      />
    );
  }
  const providers = options.data?.providers ?? [];
  const showPassword = breakGlass || (options.data?.passwordLogin ?? 'on') === 'on';

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(
      { email, password },
      { onSuccess: (res) => ('mfaRequired' in res ? undefined : navigate(next, { replace: true })) },
    );
  };

  const error = login.error;
  const message = isApiError(error, 'auth.invalid_credentials')
    ? 'Wrong e-mail or password.'
    : error
      ? errorMessage(error) // a lockout says how long it lasts
      : null;

  const notices = (
    <>
      {ssoError ? (
        <div data-testid="sso-error">
          <Alert variant="destructive">{SSO_ERRORS[ssoError] ?? 'Single sign-on did not work. Try again.'}</Alert>
        </div>
      ) : null}
      {providers.map((p) => (
        <Button key={p.id} asChild variant={showPassword ? 'outline' : 'default'}>
          <a href={providerLoginUrl(p.id, next)}>
            <KeyRound /> Sign in with {p.name}
          </a>
        </Button>
      ))}
      {passkey.error ? <Alert variant="destructive">{passkeyMessage(passkey.error)}</Alert> : null}
      {browserSupportsWebAuthn() ? (
        <Button
          type="button"
          variant="outline"
          disabled={passkey.isPending}
          onClick={() => passkey.mutate(undefined, { onSuccess: () => navigate(next, { replace: true }) })}
        >
          <Fingerprint /> Sign in with a passkey
        </Button>
      ) : null}
      {showPassword ? (
        <p className="text-center text-xs text-muted-foreground">or with your e-mail and password</p>
      ) : null}
    </>
  );
  if (!showPassword) {
    return (
      <div className="grid gap-4">
        {reason === 'signed-out' ? <Alert>You signed out.</Alert> : null}
        {notices}
        {options.data?.passwordLogin === 'admins' ? (
          <Link
            to={`/login?password=1&next=${encodeURIComponent(next)}`}
            className="text-center text-xs text-muted-foreground hover:underline"
          >
            Administrator sign-in with a password
          </Link>
        ) : null}
      </div>
    );
  }

  return (
    <form className="grid gap-4" onSubmit={onSubmit} noValidate>
      {notices}
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

/** A passkey that did not work: the browser's own words are rarely helpful. */
function passkeyMessage(error: unknown): string {
  if (error instanceof Error && error.name === 'NotAllowedError')
    return 'The passkey was not used (cancelled or timed out).';
  return isApiError(error) ? errorMessage(error) : 'This browser could not use a passkey here.';
}

/** The sign-in's second step: the code the authenticator app shows, a recovery code, or a passkey. */
function SecondFactorStep({
  methods,
  onDone,
  onRestart,
}: {
  methods: readonly ('totp' | 'recovery' | 'passkey')[];
  onDone(): void;
  onRestart(): void;
}) {
  const verify = useSecondFactor();
  const [passkeyError, setPasskeyError] = useState<unknown>(null);
  const [recovery, setRecovery] = useState(false);
  const [value, setValue] = useState('');
  const answerPasskey = async () => {
    setPasskeyError(null);
    try {
      const response = await answerWithPasskey('/api/auth/mfa/passkey-options');
      verify.mutate({ passkey: response as never }, { onSuccess: onDone });
    } catch (e) {
      setPasskeyError(e);
    }
  };
  if (!methods.includes('totp')) {
    return (
      <div className="grid gap-4">
        <p className="text-sm text-muted-foreground">Confirm it is you with your passkey.</p>
        {passkeyError || verify.error ? (
          <Alert variant="destructive">{passkeyMessage(passkeyError ?? verify.error)}</Alert>
        ) : null}
        <Button onClick={() => void answerPasskey()} disabled={verify.isPending}>
          <Fingerprint /> Use your passkey
        </Button>
        <button type="button" className="text-sm text-muted-foreground hover:underline" onClick={onRestart}>
          Start over
        </button>
      </div>
    );
  }
  const error = verify.error;
  const message = isApiError(error, 'auth.mfa_invalid')
    ? 'That code is not right. Codes change every 30 seconds; each works once.'
    : isApiError(error, 'auth.mfa_challenge_expired')
      ? 'This step timed out. Sign in again.'
      : error
        ? errorMessage(error)
        : null;
  const valid = recovery ? value.trim().length >= 8 : /^\d{6}$/.test(value);
  return (
    <form
      className="grid gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        verify.mutate(recovery ? { recoveryCode: value.trim() } : { code: value }, { onSuccess: onDone });
      }}
    >
      <p className="text-sm text-muted-foreground">
        {recovery
          ? 'Enter one of the recovery codes you saved when you set up the authenticator app.'
          : 'Enter the 6-digit code your authenticator app shows for Nexus.'}
      </p>
      {message ? <Alert variant="destructive">{message}</Alert> : null}
      <TextField
        key={recovery ? 'recovery' : 'code'}
        id="second-factor"
        label={recovery ? 'Recovery code' : 'Code'}
        inputMode={recovery ? 'text' : 'numeric'}
        autoComplete="one-time-code"
        autoFocus
        value={value}
        onValueChange={setValue}
      />
      <Button type="submit" disabled={verify.isPending || !valid}>
        {verify.isPending ? 'Checking…' : 'Continue'}
      </Button>
      {methods.includes('passkey') ? (
        <Button type="button" variant="outline" onClick={() => void answerPasskey()} disabled={verify.isPending}>
          <Fingerprint /> Use your passkey instead
        </Button>
      ) : null}
      {passkeyError ? <Alert variant="destructive">{passkeyMessage(passkeyError)}</Alert> : null}
      <div className="flex justify-between text-sm">
        <button
          type="button"
          className="text-brand-text hover:underline"
          onClick={() => {
            setRecovery(!recovery);
            setValue('');
            verify.reset();
          }}
        >
          {recovery ? 'Use the authenticator app' : 'Use a recovery code'}
        </button>
        <button type="button" className="text-muted-foreground hover:underline" onClick={onRestart}>
          Start over
        </button>
      </div>
    </form>
  );
}
