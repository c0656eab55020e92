// The settings page's danger zone: deleting the tenant, after a confirmation.
import type { Tenant } from '@common/schemas/tenants';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toastError } from '@/components/ui/toast';
import { useDeleteTenant } from '../api/delete-tenant';

export function DeleteTenantCard({ tenant }: { tenant: Tenant }) {
  const del = useDeleteTenant();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <Card className="mt-6 border-destructive/40">
        <CardHeader>
          <CardTitle>Delete tenant</CardTitle>
          <CardDescription>
            Removes its servers, credentials, members and settings. The audit log keeps its history.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Button variant="destructive" onClick={() => setConfirming(true)}>
            Delete {tenant.name}
          </Button>
        </CardContent>
      </Card>
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
