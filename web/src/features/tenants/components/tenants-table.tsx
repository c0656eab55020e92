// Every tenant for global admins: activate or deactivate, open its settings, delete.
import type { Tenant } from '@common/schemas/tenants';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { useDeleteDialog } from '@/components/confirmed-action';
import { QueryTable } from '@/components/list-table';
import { Marker } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { Switch } from '@/components/ui/switch';
import { DeleteRowButton, RowActions, TableCell } from '@/components/ui/table';
import { toast, toastError } from '@/components/ui/toast';
import { formatDateTime } from '@/lib/format';
import { useDeleteTenant } from '../api/delete-tenant';
import { useTenants } from '../api/get-tenants';
import { useUpdateTenant } from '../api/update-tenant';
import { activated, activeSwitch, deleteNamed, deleteTenantText, tm } from '../messages';

export function TenantsTable() {
  const tenants = useTenants();
  const update = useUpdateTenant();
  const del = useDeleteTenant();
  const intl = useIntl();
  const deleter = useDeleteDialog<Tenant>(deleteTenantText, del, 'name');
  const setActive = (t: Tenant, on: boolean) =>
    update.mutate(
      { tenantId: t.id, body: { isActive: on } },
      {
        onSuccess: () =>
          toast({ variant: 'success', title: intl.formatMessage(activated, { name: t.name, on: String(on) }) }),
        onError: toastError(intl.formatMessage(tm.updateFailed)),
      },
    );

  return (
    <>
      <QueryTable
        query={tenants}
        rows={(d) => d.tenants}
        pending={<Skeleton className="h-64" />}
        empty={<EmptyState title={intl.formatMessage(tm.noTenants)} description={intl.formatMessage(tm.createFirst)} />}
        columns={[
          intl.formatMessage(tm.tenant),
          intl.formatMessage(tm.slug),
          intl.formatMessage(tm.active),
          { label: intl.formatMessage(tm.created), className: 'hidden md:table-cell' },
        ]}
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
              <Switch
                aria-label={intl.formatMessage(activeSwitch, { name: t.name })}
                checked={t.isActive}
                onCheckedChange={(on) => setActive(t, on)}
              />
              {t.isActive ? null : <InactiveBadge />}
            </TableCell>
            <TableCell className="hidden whitespace-nowrap md:table-cell">{formatDateTime(t.createdAt)}</TableCell>
            <TableCell>
              <RowActions>
                <Button asChild variant="ghost" size="sm">
                  <Link to={`/tenants/${t.id}/settings`}>{intl.formatMessage(tm.settings)}</Link>
                </Button>
                <DeleteRowButton
                  label={intl.formatMessage(deleteNamed, { name: t.name })}
                  onClick={() => deleter.ask(t)}
                />
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
  return <Marker when label={tm.inactive} variant="warning" />;
}
