// /setup/:token: creating the first global administrator from the link printed at first start.

import { useIntl } from 'react-intl';
import { useNavigate, useParams } from 'react-router';
import { useCompleteSetup } from '@/features/auth/api/create-account';
import { NewAccountForm } from '@/features/auth/components/new-account-form';
import { au } from '@/features/auth/messages';
import { isApiError } from '@/lib/api-client';
import { AuthCard } from '../layouts/auth-card';

export function Component() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const setup = useCompleteSetup();
  const t = useIntl().formatMessage;
  return (
    <AuthCard title={t(au.setupTitle)} description={t(au.setupDescription)}>
      <NewAccountForm
        error={setup.error}
        pending={setup.isPending}
        problem={isApiError(setup.error, 'auth.setup_invalid') ? t(au.setupInvalid) : undefined}
        submitLabel={t(au.createAdmin)}
        pendingLabel={t(au.creating)}
        onSubmit={(account) =>
          setup.mutate({ token, ...account }, { onSuccess: () => navigate('/admin', { replace: true }) })
        }
      />
    </AuthCard>
  );
}
