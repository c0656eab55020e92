// Every tenant for global admins: activate or deactivate, open its settings, delete.
import type { Tenant } from '@common/schemas/tenants';
import { Link } from 'react-router';
import { useDeleteDialog } from '@/components/delete-dialog';
import { QueryTable } from '@/components/list-table';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { Switch } from '@/components/ui/switch';
import { DeleteRowButton, RowActions, TableCell } from '@/components/ui/table';
import { toast, toastError } from '@/components/ui/toast';
import { formatDateTime } from '@/lib/format';
import { useDeleteTenant } from '../api/delete-tenant';
import { useTenants } from '../api/get-tenants';
import { useUpdateTenant } from '../api/update-tenant';

export function TenantsTable() {
  const tenants = useTenants();
  const update = useUpdateTenant();
  const del = useDeleteTenant();
  const deleter = useDeleteDialog({
    name: (t: Tenant) => t.name,
    description:
      'Its servers, stored credentials, memberships and settings are removed; consoles close. The audit log keeps its history.',
    confirmLabel: 'Delete tenant',
    remove: del,
  });
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
      <QueryTable
        query={tenants}
        rows={(d) => d.tenants}
        pending={<Skeleton className="h-64" />}
        empty={<EmptyState title="No tenants" description="Create the first one." />}
        columns={['Tenant', 'Slug', 'Active', { label: 'Created', className: 'hidden md:table-cell' }]}
        actions
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
              <Switch aria-label={`${t.name} active`} checked={t.isActive} onCheckedChange={(on) => setActive(t, on)} />
              {t.isActive ? null : <InactiveBadge />}
            </TableCell>
            <TableCell className="hidden whitespace-nowrap md:table-cell">{formatDateTime(t.createdAt)}</TableCell>
            <TableCell>
              <RowActions>
                <Button asChild variant="ghost" size="sm">
                  <Link to={`/tenants/${t.id}/settings`}>Settings</Link>
                </Button>
                <DeleteRowButton label={`Delete ${t.name}`} onClick={() => deleter.ask(t)} />
              </RowActions>
            </TableCell>
          </>
        )}
      </QueryTable>
      {deleter.dialog}
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
