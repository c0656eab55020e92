// Everything under /tenants/:tenantId: loads the tenant (a tenant the caller is not in answers
// 404, shown as "not found"), applies its branding and opens its realtime stream.

import { useIntl } from 'react-intl';
import { Outlet } from 'react-router';
import { LinkButton } from '@/components/link-button';
import { EmptyState, Spinner } from '@/components/ui/misc';
import { TenantEventsProvider } from '@/features/realtime/components/tenant-events-provider';
import { useTenant, useTenantSettings } from '@/features/tenants/api/get-tenant';
import { useTenantBranding } from '@/features/tenants/components/tenant-branding';
import { useTenantId } from '@/features/tenants/hooks/use-current-tenant';
import { errorMessage, isApiError } from '@/lib/api-client';
import { app } from '../messages';

export function TenantScope() {
  const tenantId = useTenantId();
  const tenant = useTenant(tenantId);
  const settings = useTenantSettings(tenantId);
  useTenantBranding(settings.data?.branding);
  const t = useIntl().formatMessage;

  if (tenant.isPending) {
    return (
      <div className="flex h-64 items-center justify-center">
        <Spinner className="size-6" />
      </div>
    );
  }
  if (tenant.isError && isApiError(tenant.error, 'auth.mfa_required')) {
    return (
      <div className="p-6">
        <EmptyState
          title={t(app.tenantMfaTitle)}
          description={t(app.tenantMfaBody)}
          action={<LinkButton to="/account/security" label={app.setUpFactor} />}
        />
      </div>
    );
  }
  if (tenant.isError) {
    const notFound = isApiError(tenant.error) && (tenant.error.status === 404 || tenant.error.status === 400);
    return (
      <div className="p-6">
        <EmptyState
          title={notFound ? t(app.tenantNotFound) : t(app.tenantFailed)}
          description={notFound ? t(app.tenantNotFoundHint) : errorMessage(tenant.error)}
          action={<LinkButton to="/tenants" label={app.chooseTenant} />}
        />
      </div>
    );
  }
  return (
    <TenantEventsProvider tenantId={tenantId}>
      <Outlet />
    </TenantEventsProvider>
  );
}
