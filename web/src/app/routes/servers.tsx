// /tenants/:tenantId/servers: every server with its health; add, edit, test, delete, import, export.
import { Download, Plus, Upload } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router';
import { Button } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/misc';
import { LiveIndicator } from '@/features/realtime/components/live-indicator';
import { exportServersUrl } from '@/features/servers/api/import-servers';
import { ImportDialog } from '@/features/servers/components/import-dialog';
import { ServerFormDialog } from '@/features/servers/components/server-form-dialog';
import { ServersTable } from '@/features/servers/components/servers-table';
import { m } from '@/features/servers/messages';
import { useTenantSettings } from '@/features/tenants/api/get-tenant';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const settings = useTenantSettings(tenant.id);
  const [params, setParams] = useSearchParams();
  const [importing, setImporting] = useState(false);
  // ?add=1 opens the add dialog (the dashboard's "Add a server" links here).
  const adding = params.get('add') === '1';
  const setAdding = (o: boolean) =>
    setParams((p) => {
      const n = new URLSearchParams(p);
      if (o) n.set('add', '1');
      else n.delete('add');
      return n;
    });
  const manage = tenant.can.manageServers;
  const t = useIntl().formatMessage;

  return (
    <>
      <PageHeader
        title={t(m.pageTitle)}
        description={t(m.pageDescription)}
        actions={
          <>
            <LiveIndicator />
            <Button asChild variant="outline">
              <a href={exportServersUrl(tenant.id)} download>
                <Download /> {t(m.exportCsv)}
              </a>
            </Button>
            {manage ? (
              <>
                <Button variant="outline" onClick={() => setImporting(true)}>
                  <Upload /> {t(m.importCsv)}
                </Button>
                <Button onClick={() => setAdding(true)}>
                  <Plus /> {t(m.addServer)}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <ServersTable
        tenant={tenant}
        addAction={manage ? <Button onClick={() => setAdding(true)}>{t(m.addAServer)}</Button> : null}
      />
      <ServerFormDialog
        tenantId={tenant.id}
        open={adding}
        onOpenChange={setAdding}
        server={null}
        defaults={settings.data}
      />
      <ImportDialog tenantId={tenant.id} open={importing} onOpenChange={setImporting} />
    </>
  );
}
