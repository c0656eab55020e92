// /login: e-mail and password; back to where the user was (?next=) afterwards.
import { useSearchParams } from 'react-router';
import { LoginForm } from '@/features/auth/components/login-form';
import { AuthCard, safeNext } from '../layouts/auth-card';

export function Component() {
  const [params] = useSearchParams();
  return (
    <AuthCard title="Sign in" description="Use your Nexus account.">
      <LoginForm next={safeNext(params.get('next'))} expired={params.get('reason') === 'expired'} />
    </AuthCard>
  );
}
