// /account/security: second factors and where you are signed in. A session that must enrol a
// second factor first (NEXUS_REQUIRE_MFA) lands here and may go nowhere else until it has.
import { Alert } from '@/components/ui/alert';
import { PageHeader } from '@/components/ui/misc';
import { PasskeysCard } from '@/features/account/components/passkeys-card';
import { SecondFactorCard } from '@/features/account/components/second-factor-card';
import { SessionsCard } from '@/features/account/components/sessions-card';
import { useMeData } from '@/features/auth/api/get-me';
import { formatDateTime } from '@/lib/format';

export function Component() {
  const me = useMeData();
  return (
    <>
      <PageHeader title="Security" description="How you sign in, and where you are signed in." />
      <div className="grid gap-6">
        {me.security.factorsResetAt && !me.security.secondFactor ? (
          <Alert variant="warning" title="An administrator reset your second factor">
            On {formatDateTime(me.security.factorsResetAt)} your authenticator app, recovery codes and passkeys were
            removed. If you did not ask for this, tell your administrator, and set up a new one below.
          </Alert>
        ) : null}
        {me.security.tenantRequiresMfa && !me.security.secondFactor && !me.security.mustEnrol ? (
          <Alert variant="warning" title="A tenant of yours requires a second factor">
            Set up an authenticator app or add a passkey below to enter it.
          </Alert>
        ) : null}
        {me.security.mustEnrol ? (
          <Alert variant="warning" title="Set up a second factor to continue">
            This Nexus requires a second factor for your account. Set up an authenticator app or add a passkey below;
            everything else opens once one is there.
          </Alert>
        ) : null}
        <SecondFactorCard />
        <PasskeysCard />
        {me.security.mustEnrol ? null : <SessionsCard />}
      </div>
    </>
  );
}
