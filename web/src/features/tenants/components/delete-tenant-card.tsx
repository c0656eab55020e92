// The settings page's danger zone: deleting the tenant, after a confirmation.
import type { Tenant } from '@common/schemas/tenants';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toastError } from '@/components/ui/toast';
import { useDeleteTenant } from '../api/delete-tenant';
import { deleteTenantName, deleteTenantQuestion, deleteTenantText, tm } from '../messages';

export function DeleteTenantCard({ tenant }: { tenant: Tenant }) {
  const del = useDeleteTenant();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const t = useIntl().formatMessage;
  return (
    <>
      <TitledCard
        title={t(deleteTenantText.confirm)}
        description={t(tm.deleteCardDescription)}
        className="mt-6 border-destructive/40"
      >
        <Button variant="destructive" onClick={() => setConfirming(true)}>
          {t(deleteTenantName, { name: tenant.name })}
        </Button>
      </TitledCard>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t(deleteTenantQuestion, { name: tenant.name })}
        description={t(tm.cannotUndo)}
        confirmLabel={t(deleteTenantText.confirm)}
        pending={del.isPending}
        onConfirm={() =>
          del.mutate(tenant.id, {
            onSuccess: () => navigate('/tenants', { replace: true }),
            onError: toastError(t(tm.deleteFailed)),
          })
        }
      />
    </>
  );
}
