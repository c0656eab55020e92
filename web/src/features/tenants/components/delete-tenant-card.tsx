// The settings page's danger zone: deleting the tenant, after a confirmation.
import type { Tenant } from '@common/schemas/tenants';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toastError } from '@/components/ui/toast';
import { useDeleteTenant } from '../api/delete-tenant';

export function DeleteTenantCard({ tenant }: { tenant: Tenant }) {
  const del = useDeleteTenant();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <TitledCard
        title="Delete tenant"
        description="Removes its servers, credentials, members and settings. The audit log keeps its history."
        className="mt-6 border-destructive/40"
      >
        <Button variant="destructive" onClick={() => setConfirming(true)}>
          Delete {tenant.name}
        </Button>
      </TitledCard>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Delete ${tenant.name}?`}
        description="This cannot be undone."
        confirmLabel="Delete tenant"
        pending={del.isPending}
        onConfirm={() =>
          del.mutate(tenant.id, {
            onSuccess: () => navigate('/tenants', { replace: true }),
            onError: toastError('Delete failed'),
          })
        }
      />
    </>
  );
}
