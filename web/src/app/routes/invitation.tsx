// /invitations/:token: a person invited to a tenant joins, signed in or by creating an account.

import { useIntl } from 'react-intl';
import { useParams } from 'react-router';
import { LinkButton } from '@/components/link-button';
import { Alert } from '@/components/ui/alert';
import { useInvitation } from '@/features/auth/api/get-invitation';
import { useMe } from '@/features/auth/api/get-me';
import { CreateAccountAndJoin, JoinAsSignedIn } from '@/features/auth/components/join-invitation';
import { au, invitedAs, joinTenant } from '@/features/auth/messages';
import { formatDateTime } from '@/lib/format';
import { AuthCard } from '../layouts/auth-card';

export function Component() {
  const { token = '' } = useParams();
  const info = useInvitation(token);
  const me = useMe();
  const t = useIntl().formatMessage;

  if (info.isPending || me.isPending) {
    return <AuthCard title={t(au.invitation)} />;
  }
  if (info.isError) {
    return (
      <AuthCard title={t(au.invitation)}>
        <div className="grid gap-4">
          <Alert variant="destructive">{t(au.invitationInvalid)}</Alert>
          <LinkButton to="/login" label={au.signIn} />
        </div>
      </AuthCard>
    );
  }

  const inv = info.data;
  return (
    <AuthCard
      title={inv.tenantName ? t(joinTenant, { name: inv.tenantName }) : t(au.joinNexus)}
      description={t(invitedAs, { role: inv.role ?? 'none', until: formatDateTime(inv.expiresAt) })}
    >
      {me.isSuccess ? (
        <JoinAsSignedIn token={token} inv={inv} email={me.data.user.email} />
      ) : (
        <CreateAccountAndJoin token={token} inv={inv} />
      )}
    </AuthCard>
  );
}
