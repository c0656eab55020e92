// /invitations/:token: a person invited to a tenant joins, signed in or by creating an account.
import { Link, useParams } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/misc';
import { useInvitation } from '@/features/auth/api/get-invitation';
import { useMe } from '@/features/auth/api/get-me';
import { CreateAccountAndJoin, JoinAsSignedIn } from '@/features/auth/components/join-invitation';
import { formatDateTime } from '@/lib/format';
import { AuthCard } from '../layouts/auth-card';

export function Component() {
  const { token = '' } = useParams();
  const info = useInvitation(token);
  const me = useMe();

  if (info.isPending || me.isPending) {
    return (
      <AuthCard title="Invitation">
        <div className="flex justify-center py-6">
          <Spinner />
        </div>
      </AuthCard>
    );
  }
  if (info.isError) {
    return (
      <AuthCard title="Invitation">
        <div className="grid gap-4">
          <Alert variant="destructive">This invitation link is invalid, expired or already used.</Alert>
          <Button asChild variant="outline">
            <Link to="/login">Sign in</Link>
          </Button>
        </div>
      </AuthCard>
    );
  }

  const inv = info.data;
  return (
    <AuthCard
      title={inv.tenantName ? `Join ${inv.tenantName}` : 'Join Nexus'}
      description={
        <>
          {inv.role ? `You are invited as ${inv.role}. ` : ''}The link is valid until {formatDateTime(inv.expiresAt)}.
        </>
      }
    >
      {me.isSuccess ? (
        <JoinAsSignedIn token={token} inv={inv} email={me.data.user.email} />
      ) : (
        <CreateAccountAndJoin token={token} inv={inv} />
      )}
    </AuthCard>
  );
}
