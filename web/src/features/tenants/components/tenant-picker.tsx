// The tenants the caller may open, as cards with logo, role and state.
import { Building, ChevronRight } from 'lucide-react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { QueryView } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { useTenants } from '../api/get-tenants';
import { tm } from '../messages';

export function TenantPicker() {
  const tenants = useTenants();
  const tr = useIntl().formatMessage;
  return (
    <QueryView
      query={tenants}
      pending={
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-24" />
          ))}
        </div>
      }
      isEmpty={(d) => d.tenants.length === 0}
      empty={<EmptyState icon={<Building />} title={tr(tm.noneYet)} description={tr(tm.noneYetHint)} />}
    >
      {(data) => (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {data.tenants.map((t) => (
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
                      <Badge variant="outline">{tr(tm.globalAdmin)}</Badge>
                    )}
                    {t.isActive ? null : <Badge variant="warning">{tr(tm.inactive)}</Badge>}
                  </span>
                  <ChevronRight className="size-4 text-muted-foreground" aria-hidden />
                </Link>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </QueryView>
  );
}
