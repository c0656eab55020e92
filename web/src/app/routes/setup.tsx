// /setup/:token: creating the first global administrator from the link printed at first start.
import { useNavigate, useParams } from 'react-router';
import { useCompleteSetup } from '@/features/auth/api/create-account';
import { NewAccountForm } from '@/features/auth/components/new-account-form';
import { isApiError } from '@/lib/api-client';
import { AuthCard } from '../layouts/auth-card';

export function Component() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const setup = useCompleteSetup();
  return (
    <AuthCard title="Set up Nexus" description="Create the first administrator account.">
      <NewAccountForm
        error={setup.error}
        pending={setup.isPending}
        problem={
          isApiError(setup.error, 'auth.setup_invalid') ? 'This setup link is invalid or was already used.' : undefined
        }
        submitLabel="Create administrator"
        pendingLabel="Creating…"
        onSubmit={(account) =>
          setup.mutate({ token, ...account }, { onSuccess: () => navigate('/admin', { replace: true }) })
        }
      />
    </AuthCard>
  );
}
