// /signup: self-service accounts (NEXUS_SIGNUP=open). A closed server says so plainly.

import { useIntl } from 'react-intl';
import { Link, useNavigate } from 'react-router';
import { LinkButton } from '@/components/link-button';
import { Alert } from '@/components/ui/alert';
import { useSignup } from '@/features/auth/api/create-account';
import { NewAccountForm } from '@/features/auth/components/new-account-form';
import { au, haveAccount } from '@/features/auth/messages';
import { isApiError } from '@/lib/api-client';
import { AuthCard } from '../layouts/auth-card';

export function Component() {
  const navigate = useNavigate();
  const signup = useSignup();
  const t = useIntl().formatMessage;
  return (
    <AuthCard title={t(au.signupTitle)} description={t(au.signupDescription)}>
      {isApiError(signup.error, 'auth.signup_closed') ? (
        <div className="grid gap-4">
          <Alert variant="warning">{t(au.signupClosed)}</Alert>
          <LinkButton to="/login" label={au.backToSignIn} />
        </div>
      ) : (
        <NewAccountForm
          error={signup.error}
          pending={signup.isPending}
          nameAutoComplete
          passwordMinLength={12}
          submitLabel={t(au.createAccount)}
          pendingLabel={t(au.creating)}
          onSubmit={(account) => signup.mutate(account, { onSuccess: () => navigate('/', { replace: true }) })}
          footer={
            <p className="text-center text-sm text-muted-foreground">
              {t(haveAccount, {
                link: (chunks) => (
                  <Link to="/login" className="text-brand-text hover:underline">
                    {chunks}
                  </Link>
                ),
              })}
            </p>
          }
        />
      )}
    </AuthCard>
  );
}
