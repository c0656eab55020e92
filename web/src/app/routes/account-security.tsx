// /account/security: second factors and where you are signed in. A session that must enrol a
// second factor first (NEXUS_REQUIRE_MFA) lands here and may go nowhere else until it has.
import { useIntl } from 'react-intl';
import { Page } from '@/components/page';
import { Alert } from '@/components/ui/alert';
import { PasskeysCard } from '@/features/account/components/passkeys-card';
import { SecondFactorCard } from '@/features/account/components/second-factor-card';
import { SessionsCard } from '@/features/account/components/sessions-card';
import { ac, resetBody, securityPage } from '@/features/account/messages';
import { useMeData } from '@/features/auth/api/get-me';
import { formatDateTime } from '@/lib/format';

export function Component() {
  const me = useMeData();
  const t = useIntl().formatMessage;
  return (
    <Page text={securityPage}>
      <div className="grid gap-6">
        {me.security.factorsResetAt && !me.security.secondFactor ? (
          <Alert variant="warning" title={t(ac.resetTitle)}>
            {t(resetBody, { date: formatDateTime(me.security.factorsResetAt) })}
          </Alert>
        ) : null}
        {me.security.tenantRequiresMfa && !me.security.secondFactor && !me.security.mustEnrol ? (
          <Alert variant="warning" title={t(ac.tenantRequiresTitle)}>
            {t(ac.tenantRequiresBody)}
          </Alert>
        ) : null}
        {me.security.mustEnrol ? (
          <Alert variant="warning" title={t(ac.mustEnrolTitle)}>
            {t(ac.mustEnrolBody)}
          </Alert>
        ) : null}
        <SecondFactorCard />
        <PasskeysCard />
        {me.security.mustEnrol ? null : <SessionsCard />}
      </div>
    </Page>
  );
}
