// /tenants: the tenant picker.
import { Building, ChevronRight } from 'lucide-react';
import { Link } from 'react-router';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState, PageHeader, Skeleton } from '@/components/ui/misc';
import { useMeData } from '@/features/auth/api/get-me';
import { useTenants } from '@/features/tenants/api/get-tenants';

export function Component() {
  const me = useMeData();
  const tenants = useTenants();
  return (
    <>
      <PageHeader
        title="Tenants"
        description="Choose where to work."
        actions={
          me.can.manageTenants ? (
            <Button asChild variant="outline">
              <Link to="/admin/tenants">Manage tenants</Link>
            </Button>
          ) : null
        }
      />
      {tenants.isPending ? (
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-24" />
          ))}
        </div>
      ) : tenants.isError ? (
        <ErrorAlert error={tenants.error} />
      ) : tenants.data.tenants.length === 0 ? (
        <EmptyState
          icon={<Building />}
          title="You are not in any tenant yet"
          description="An administrator adds you to a tenant, or sends you an invitation link."
        />
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {tenants.data.tenants.map((t) => (
            <li key={t.id}>
              <Card className="transition-colors hover:border-brand/60">
                <Link to={`/tenants/${t.id}`} className="flex items-center gap-3 p-4">
                  {t.logoUrl ? (
                    <img
                      src={t.logoUrl}
                      alt=""
                      className="size-10 rounded-md object-contain"
                      referrerPolicy="no-referrer"
                    />
                  ) : (
                    <span className="flex size-10 items-center justify-center rounded-md bg-brand/15 font-semibold text-brand-text">
                      {t.name.slice(0, 1).toUpperCase()}
                    </span>
                  )}
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium">{t.name}</span>
                    <span className="block truncate text-xs text-muted-foreground">{t.description || t.slug}</span>
                  </span>
                  <span className="flex flex-col items-end gap-1">
                    {t.role ? (
                      <Badge variant="secondary">{t.role}</Badge>
                    ) : (
                      <Badge variant="outline">global admin</Badge>
                    )}
                    {t.isActive ? null : <Badge variant="warning">inactive</Badge>}
                  </span>
                  <ChevronRight className="size-4 text-muted-foreground" aria-hidden />
                </Link>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
