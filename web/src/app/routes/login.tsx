// /login: single sign-on buttons, e-mail and password, the second factor; back to where the user
// was (?next=) afterwards. ?error= is how a provider's round trip ended, ?step=mfa its second
// step, ?password=1 the administrators' password form where passwords are otherwise hidden. The
// language can be picked here (kept in this browser until the profile says otherwise).
import { defineMessages, useIntl } from 'react-intl';
import { useSearchParams } from 'react-router';
import { LoginForm } from '@/features/auth/components/login-form';
import { LanguagePicker } from '@/i18n/language-picker';
import { AuthCard, safeNext } from '../layouts/auth-card';
import { loginReason } from '../layouts/require-auth';

const m = defineMessages({
  title: { id: 'login.title', defaultMessage: 'Sign in' },
  description: { id: 'login.description', defaultMessage: 'Use your Nexus account.' },
});

export function Component() {
  const [params] = useSearchParams();
  const t = useIntl().formatMessage;
  return (
    <AuthCard title={t(m.title)} description={t(m.description)}>
      <LoginForm
        next={safeNext(params.get('next'))}
        reason={loginReason(params.get('reason'))}
        ssoError={params.get('error')}
        secondStep={params.get('step') === 'mfa'}
        breakGlass={params.get('password') === '1'}
      />
      <div className="mt-4 border-t pt-4">
        <LanguagePicker id="login-language" />
      </div>
    </AuthCard>
  );
}
