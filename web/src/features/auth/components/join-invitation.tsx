// Joining a tenant from an invitation link: someone signed in accepts as that account (or signs
// out when it is not the invited one); someone new chooses a password, which creates the account.

import { useIntl } from 'react-intl';
import { Link, useNavigate } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { errorMessage, isApiError } from '@/lib/api-client';
import { useAcceptInvitation } from '../api/accept-invitation';
import type { Invitation } from '../api/get-invitation';
import { useJoinInvitation } from '../api/join-invitation';
import { useLogout } from '../api/logout';
import { alreadyHave, au, emailTaken, signedInAs, wrongAccount } from '../messages';
import { NewAccountForm } from './new-account-form';

/** Signed in: accept as this account, or sign out when it is not the invited one. */
export function JoinAsSignedIn({ token, inv, email }: { token: string; inv: Invitation; email: string }) {
  const navigate = useNavigate();
  const join = useJoinInvitation(token);
  const logout = useLogout();
  const t = useIntl().formatMessage;
  if (inv.email && inv.email.toLowerCase() !== email.toLowerCase()) {
    return (
      <div className="grid gap-4">
        <Alert variant="destructive">{t(wrongAccount, { invited: inv.email, email })}</Alert>
        <Button variant="outline" disabled={logout.isPending} onClick={() => logout.mutate()}>
          {t(au.signOut)}
        </Button>
      </div>
    );
  }
  return (
    <div className="grid gap-4">
      {join.error ? <Alert variant="destructive">{errorMessage(join.error)}</Alert> : null}
      <p className="text-sm">
        {t(signedInAs, { email, b: (chunks) => <span className="font-medium">{chunks}</span> })}
      </p>
      <Button
        disabled={join.isPending}
        onClick={() =>
          join.mutate(undefined, { onSuccess: (j) => navigate(`/tenants/${j.tenantId}`, { replace: true }) })
        }
      >
        {join.isPending ? t(au.joining) : t(au.accept)}
      </Button>
    </div>
  );
}

/** Not signed in: create the account from the link, or sign in to an existing one first. */
export function CreateAccountAndJoin({ token, inv }: { token: string; inv: Invitation }) {
  const navigate = useNavigate();
  const accept = useAcceptInvitation(token);
  const signIn = `/login?${new URLSearchParams({ next: `/invitations/${token}` }).toString()}`;
  const t = useIntl().formatMessage;
  return (
    <NewAccountForm
      fixedEmail={inv.email}
      error={accept.error}
      pending={accept.isPending}
      problem={
        isApiError(accept.error, 'user.email_taken')
          ? t(emailTaken, { link: (chunks) => <Link to={signIn}>{chunks}</Link> })
          : undefined
      }
      intro={
        <p className="text-sm text-muted-foreground">
          {t(alreadyHave, { link: (chunks) => <Link to={signIn}>{chunks}</Link> })}
        </p>
      }
      nameAutoComplete
      submitLabel={t(au.createAndJoin)}
      pendingLabel={t(au.joining)}
      onSubmit={({ password, fullName }) =>
        accept.mutate(
          { password, ...(fullName ? { fullName } : {}) },
          { onSuccess: () => navigate('/', { replace: true }) },
        )
      }
    />
  );
}
