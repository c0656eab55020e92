// Gate for every signed-in page: no session → /login?next=<this page>, then back here.
import { useEffect } from 'react';
import { useIntl } from 'react-intl';
import { Navigate, Outlet, useLocation } from 'react-router';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/misc';
import { toast } from '@/components/ui/toast';
import { useMe } from '@/features/auth/api/get-me';
import { translate } from '@/i18n/current-intl';
import { errorMessage, isApiError } from '@/lib/api-client';
import { app } from '../messages';

export type LoginReason = 'expired' | 'signed-out';

export const loginReason = (value: string | null): LoginReason | null =>
  value === 'expired' || value === 'signed-out' ? value : null;

export function loginPathFor(next: string, reason?: LoginReason): string {
  const params = new URLSearchParams({ next });
  if (reason) params.set('reason', reason);
  return `/login?${params.toString()}`;
}

/** Once per reset: tells the user an administrator reset their second factor. */
function useFactorsResetNotice(resetAt: string | null | undefined, hasFactor: boolean | undefined) {
  useEffect(() => {
    if (!resetAt || hasFactor || localStorage.getItem('nexus-factors-reset-seen') === resetAt) return;
    localStorage.setItem('nexus-factors-reset-seen', resetAt);
    toast({
      variant: 'warning',
      title: translate(app.factorResetTitle),
      description: translate(app.factorResetBody),
    });
  }, [resetAt, hasFactor]);
}

export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  const t = useIntl().formatMessage;
  useFactorsResetNotice(me.data?.security.factorsResetAt, me.data?.security.secondFactor);
  if (me.isPending) {
    return (
      <div className="flex h-full items-center justify-center">
        <Spinner className="size-6" label={t(app.loadingSession)} />
      </div>
    );
  }
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      return <Navigate to={loginPathFor(location.pathname + location.search)} replace />;
    }
    return (
      <div className="flex h-full flex-col items-center justify-center gap-3 p-6 text-center">
        <p className="font-medium">{t(app.sessionFailed)}</p>
        <p className="text-sm text-muted-foreground">{errorMessage(me.error)}</p>
        <Button onClick={() => void me.refetch()}>{t(app.tryAgain)}</Button>
      </div>
    );
  }
  // A session that must enrol a second factor first goes to the page that does it; so does, once
  // per session, a member of a tenant that requires one (the tenant stays closed until then).
  const security = me.data.security;
  const walk = security.tenantRequiresMfa && !security.secondFactor && !sessionStorage.getItem('nexus-mfa-walked');
  if ((security.mustEnrol || walk) && location.pathname !== '/account/security') {
    if (walk) sessionStorage.setItem('nexus-mfa-walked', '1');
    return <Navigate to="/account/security" replace />;
  }
  return <Outlet />;
}
