// /login: e-mail and password; back to where the user was (?next=) afterwards.
import { useSearchParams } from 'react-router';
import { LoginForm } from '@/features/auth/components/login-form';
import { AuthCard, safeNext } from '../layouts/auth-card';
import { loginReason } from '../layouts/require-auth';

export function Component() {
  const [params] = useSearchParams();
  return (
    <AuthCard title="Sign in" description="Use your Nexus account.">
      <LoginForm next={safeNext(params.get('next'))} reason={loginReason(params.get('reason'))} />
    </AuthCard>
  );
}
