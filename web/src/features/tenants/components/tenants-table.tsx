// Every tenant for global admins: activate or deactivate, open its settings, delete.
import type { Tenant } from '@common/schemas/tenants';
import { Trash } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { DeleteDialog } from '@/components/delete-dialog';
import { ListTable } from '@/components/list-table';
import { QueryView } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { Switch } from '@/components/ui/switch';
import { RowActions, RowIconButton, TableCell } from '@/components/ui/table';
import { toast, toastError } from '@/components/ui/toast';
import { formatDateTime } from '@/lib/format';
import { useDeleteTenant } from '../api/delete-tenant';
import { useTenants } from '../api/get-tenants';
import { useUpdateTenant } from '../api/update-tenant';

export function TenantsTable() {
  const tenants = useTenants();
  const update = useUpdateTenant();
  const del = useDeleteTenant();
  const [deleting, setDeleting] = useState<Tenant | null>(null);
  const setActive = (t: Tenant, on: boolean) =>
    update.mutate(
      { tenantId: t.id, body: { isActive: on } },
      {
        onSuccess: () => toast({ variant: 'success', title: `${t.name} ${on ? 'activated' : 'deactivated'}` }),
        onError: toastError('Update failed'),
      },
    );

  return (
    <>
      <QueryView
        query={tenants}
        pending={<Skeleton className="h-64" />}
        isEmpty={(d) => d.tenants.length === 0}
        empty={<EmptyState title="No tenants" description="Create the first one." />}
      >
        {(data) => (
          <Card>
            <ListTable
              columns={['Tenant', 'Slug', 'Active', { label: 'Created', className: 'hidden md:table-cell' }]}
              actions
              items={data.tenants}
              rowKey={(t) => t.id}
            >
              {(t) => (
                <>
                  <TableCell className="max-w-64">
                    <Link to={`/tenants/${t.id}`} className="block truncate font-medium hover:underline">
                      {t.name}
                    </Link>
                    <span className="block truncate text-xs text-muted-foreground">{t.description}</span>
                  </TableCell>
                  <TableCell>
                    <code className="text-xs">{t.slug}</code>
                  </TableCell>
                  <TableCell>
                    <Switch
                      aria-label={`${t.name} active`}
                      checked={t.isActive}
                      onCheckedChange={(on) => setActive(t, on)}
                    />
                    {t.isActive ? null : <InactiveBadge />}
                  </TableCell>
                  <TableCell className="hidden whitespace-nowrap md:table-cell">
                    {formatDateTime(t.createdAt)}
                  </TableCell>
                  <TableCell>
                    <RowActions>
                      <Button asChild variant="ghost" size="sm">
                        <Link to={`/tenants/${t.id}/settings`}>Settings</Link>
                      </Button>
                      <RowIconButton label={`Delete ${t.name}`} onClick={() => setDeleting(t)}>
                        <Trash />
                      </RowIconButton>
                    </RowActions>
                  </TableCell>
                </>
              )}
            </ListTable>
          </Card>
        )}
      </QueryView>
      <DeleteDialog
        target={deleting}
        name={(t) => t.name}
        onClose={() => setDeleting(null)}
        description="Its servers, stored credentials, memberships and settings are removed; consoles close. The audit log keeps its history."
        confirmLabel="Delete tenant"
        remove={del}
      />
    </>
  );
}

/** Beside a tenant's name or switch in admin lists. */
export function InactiveBadge() {
  return (
    <Badge variant="warning" className="ml-2">
      inactive
    </Badge>
  );
}
