// /login: single sign-on buttons, e-mail and password, the second factor; back to where the user
// was (?next=) afterwards. ?error= is how a provider's round trip ended, ?step=mfa its second
// step, ?password=1 the administrators' password form where passwords are otherwise hidden.
import { useSearchParams } from 'react-router';
import { LoginForm } from '@/features/auth/components/login-form';
import { AuthCard, safeNext } from '../layouts/auth-card';
import { loginReason } from '../layouts/require-auth';

export function Component() {
  const [params] = useSearchParams();
  return (
    <AuthCard title="Sign in" description="Use your Nexus account.">
      <LoginForm
        next={safeNext(params.get('next'))}
        reason={loginReason(params.get('reason'))}
        ssoError={params.get('error')}
        secondStep={params.get('step') === 'mfa'}
        breakGlass={params.get('password') === '1'}
      />
    </AuthCard>
  );
}
