// Signing in: one button per identity provider, and e-mail and password (unless this Nexus leaves
// passwords to global admins: then only at /login?password=1, the break-glass), the second factor
// where the account has one; then on to `next`. Someone already signed in goes there at once.

import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { Fingerprint, KeyRound } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link, Navigate, useNavigate } from 'react-router';
import { PasswordField, TextField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { answerWithPasskey } from '@/features/account/api/passkeys';
import { translate } from '@/i18n/current-intl';
import { errorMessage, isApiError } from '@/lib/api-client';
import { useAuthConfig } from '../api/get-auth-config';
import { useMe } from '../api/get-me';
import { providerLoginUrl, useSignInOptions } from '../api/get-providers';
import { useLogin, usePasskeyLogin, useSecondFactor } from '../api/login';
import { au, lm, SSO_ERRORS, withProvider } from '../messages';

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
  const t = useIntl().formatMessage;
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
    ? t(lm.wrong)
    : error
      ? errorMessage(error) // a lockout says how long it lasts
      : null;

  const notices = (
    <>
      {ssoError ? (
        <div data-testid="sso-error">
          <Alert variant="destructive">
            {t(ssoError in SSO_ERRORS ? SSO_ERRORS[ssoError as keyof typeof SSO_ERRORS] : lm.ssoFailed)}
          </Alert>
        </div>
      ) : null}
      {providers.map((p) => (
        <Button key={p.id} asChild variant={showPassword ? 'outline' : 'default'}>
          <a href={providerLoginUrl(p.id, next)}>
            <KeyRound /> {t(withProvider, { name: p.name })}
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
          <Fingerprint /> {t(lm.passkey)}
        </Button>
      ) : null}
      {showPassword ? <p className="text-center text-xs text-muted-foreground">{t(lm.orPassword)}</p> : null}
    </>
  );
  if (!showPassword) {
    return (
      <div className="grid gap-4">
        {reason === 'signed-out' ? <Alert>{t(lm.signedOut)}</Alert> : null}
        {notices}
        {options.data?.passwordLogin === 'admins' ? (
          <Link
            to={`/login?password=1&next=${encodeURIComponent(next)}`}
            className="text-center text-xs text-muted-foreground hover:underline"
          >
            {t(lm.adminPassword)}
          </Link>
        ) : null}
      </div>
    );
  }

  return (
    <form className="grid gap-4" onSubmit={onSubmit} noValidate>
      {notices}
      {reason === 'expired' && !error ? <Alert variant="warning">{t(lm.expired)}</Alert> : null}
      {reason === 'signed-out' && !error ? <Alert>{t(lm.signedOut)}</Alert> : null}
      {message ? <Alert variant="destructive">{message}</Alert> : null}
      <TextField
        id="email"
        label={t(lm.email)}
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
        label={t(lm.password)}
        name="password"
        required
        value={password}
        onValueChange={setPassword}
      />
      <Button type="submit" disabled={login.isPending || !email || !password}>
        {t(login.isPending ? lm.signingIn : lm.signIn)}
      </Button>
      <p className="text-center text-sm text-muted-foreground">
        {authConfig.data?.signupOpen ? (
          <FormattedMessage
            id="login.signUp"
            defaultMessage="No account? <link>Sign up</link>."
            values={{
              link: (chunks) => (
                <Link to="/signup" className="text-brand-text hover:underline">
                  {chunks}
                </Link>
              ),
            }}
          />
        ) : (
          t(lm.askInvitation)
        )}
      </p>
    </form>
  );
}

/** A passkey that did not work: the browser's own words are rarely helpful. */
function passkeyMessage(error: unknown): string {
  if (error instanceof Error && error.name === 'NotAllowedError') return translate(au.passkeyUnused);
  return isApiError(error) ? errorMessage(error) : translate(au.passkeyUnavailable);
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
  const t = useIntl().formatMessage;
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
        <p className="text-sm text-muted-foreground">{t(au.confirmPasskey)}</p>
        {passkeyError || verify.error ? (
          <Alert variant="destructive">{passkeyMessage(passkeyError ?? verify.error)}</Alert>
        ) : null}
        <Button onClick={() => void answerPasskey()} disabled={verify.isPending}>
          <Fingerprint /> {t(au.usePasskey)}
        </Button>
        <button type="button" className="text-sm text-muted-foreground hover:underline" onClick={onRestart}>
          {t(au.startOver)}
        </button>
      </div>
    );
  }
  const error = verify.error;
  const message = isApiError(error, 'auth.mfa_invalid')
    ? t(au.wrongCode)
    : isApiError(error, 'auth.mfa_challenge_expired')
      ? t(au.timedOut)
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
      <p className="text-sm text-muted-foreground">{recovery ? t(au.enterRecovery) : t(au.enterCode)}</p>
      {message ? <Alert variant="destructive">{message}</Alert> : null}
      <TextField
        key={recovery ? 'recovery' : 'code'}
        id="second-factor"
        label={recovery ? t(au.recoveryCode) : t(au.code)}
        inputMode={recovery ? 'text' : 'numeric'}
        autoComplete="one-time-code"
        autoFocus
        value={value}
        onValueChange={setValue}
      />
      <Button type="submit" disabled={verify.isPending || !valid}>
        {verify.isPending ? t(au.checking) : t(au.continue)}
      </Button>
      {methods.includes('passkey') ? (
        <Button type="button" variant="outline" onClick={() => void answerPasskey()} disabled={verify.isPending}>
          <Fingerprint /> {t(au.usePasskeyInstead)}
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
          {recovery ? t(au.useApp) : t(au.useRecovery)}
        </button>
        <button type="button" className="text-muted-foreground hover:underline" onClick={onRestart}>
          {t(au.startOver)}
        </button>
      </div>
    </form>
  );
}
