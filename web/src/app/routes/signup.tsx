// /signup: self-service accounts (NEXUS_SIGNUP=open). A closed server says so plainly.
import { Link, useNavigate } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useSignup } from '@/features/auth/api/create-account';
import { NewAccountForm } from '@/features/auth/components/new-account-form';
import { isApiError } from '@/lib/api-client';
import { AuthCard } from '../layouts/auth-card';

export function Component() {
  const navigate = useNavigate();
  const signup = useSignup();
  return (
    <AuthCard title="Create an account" description="You start without tenants; an administrator adds you to one.">
      {isApiError(signup.error, 'auth.signup_closed') ? (
        <div className="grid gap-4">
          <Alert variant="warning">
            Sign-up is closed on this server. Ask an administrator for an invitation link.
          </Alert>
          <Button asChild variant="outline">
            <Link to="/login">Back to sign in</Link>
          </Button>
        </div>
      ) : (
        <NewAccountForm
          error={signup.error}
          pending={signup.isPending}
          nameAutoComplete
          passwordMinLength={12}
          submitLabel="Create account"
          pendingLabel="Creating…"
          onSubmit={(account) => signup.mutate(account, { onSuccess: () => navigate('/', { replace: true }) })}
          footer={
            <p className="text-center text-sm text-muted-foreground">
              Have an account?{' '}
              <Link to="/login" className="text-brand-text hover:underline">
                Sign in
              </Link>
            </p>
          }
        />
      )}
    </AuthCard>
  );
}
