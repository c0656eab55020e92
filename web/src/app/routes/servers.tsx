// /tenants/:tenantId/servers: every server with its health; add, edit, test, delete, import, export.
import { Download, Pencil, Plus, Server, Trash, Upload } from 'lucide-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { DeleteDialog } from '@/components/delete-dialog';
import { Alert, ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState, PageHeader, Skeleton } from '@/components/ui/misc';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { LiveIndicator } from '@/features/realtime/components/live-indicator';
import { useDeleteServer } from '@/features/servers/api/delete-server';
import { useServers } from '@/features/servers/api/get-servers';
import { exportServersUrl } from '@/features/servers/api/import-servers';
import { ImportDialog } from '@/features/servers/components/import-dialog';
import { ServerFormDialog } from '@/features/servers/components/server-form-dialog';
import { ServerProblemBanners, ServerStatusBadge } from '@/features/servers/components/server-status';
import type { ProxmoxServer } from '@/features/servers/types';
import { useTenantSettings } from '@/features/tenants/api/get-tenant-settings';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { isApiError } from '@/lib/api-client';
import { formatMs, formatPercent, formatRelative } from '@/lib/format';

export function Component() {
  const tenant = useCurrentTenant();
  const servers = useServers(tenant.id);
  const settings = useTenantSettings(tenant.id);
  const del = useDeleteServer(tenant.id);
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<ProxmoxServer | null>(null);
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<ProxmoxServer | null>(null);
  const adding = params.get('add') === '1';
  const setAdding = (o: boolean) =>
    setParams((p) => {
      const n = new URLSearchParams(p);
      if (o) n.set('add', '1');
      else n.delete('add');
      return n;
    });
  const manage = tenant.can.manageServers;
  const base = `/tenants/${tenant.id}`;

  return (
    <>
      <PageHeader
        title="Servers"
        description="Proxmox VE servers and clusters registered in this tenant."
        actions={
          <>
            <LiveIndicator />
            <Button asChild variant="outline">
              <a href={exportServersUrl(tenant.id)} download>
                <Download /> Export CSV
              </a>
            </Button>
            {manage ? (
              <>
                <Button variant="outline" onClick={() => setImporting(true)}>
                  <Upload /> Import CSV
                </Button>
                <Button onClick={() => setAdding(true)}>
                  <Plus /> Add server
                </Button>
              </>
            ) : null}
          </>
        }
      />
      {servers.isPending ? (
        <Skeleton className="h-64" />
      ) : servers.isError ? (
        isApiError(servers.error) && servers.error.status === 404 ? (
          <Alert>Server management is not available on this Nexus version yet.</Alert>
        ) : (
          <ErrorAlert error={servers.error} />
        )
      ) : servers.data.length === 0 ? (
        <EmptyState
          icon={<Server />}
          title="No servers yet"
          description="Add a server with an API token (Datacenter → Permissions → API Tokens), or import a CSV."
          action={manage ? <Button onClick={() => setAdding(true)}>Add a server</Button> : null}
        />
      ) : (
        <div className="grid gap-4">
          <ServerProblemBanners tenantId={tenant.id} servers={servers.data} />
          <Card>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Server</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Response</TableHead>
                  <TableHead>Success 24 h</TableHead>
                  <TableHead className="hidden md:table-cell">TLS</TableHead>
                  <TableHead className="hidden lg:table-cell">Checked</TableHead>
                  {manage ? (
                    <TableHead>
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  ) : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {servers.data.map((s) => (
                  <TableRow key={s.id} data-testid="server-row">
                    <TableCell className="max-w-64">
                      <Link to={`${base}/servers/${s.id}`} className="block truncate font-medium hover:underline">
                        {s.name}
                      </Link>
                      <span className="block truncate text-xs text-muted-foreground">
                        {s.useTailscale && s.tailscaleHostname
                          ? `${s.tailscaleHostname} (Tailscale)`
                          : `${s.host}:${s.port}`}
                      </span>
                    </TableCell>
                    <TableCell>
                      <ServerStatusBadge status={s.isActive ? s.status : 'unknown'} />
                      {s.isActive ? null : (
                        <Badge variant="secondary" className="ml-2">
                          inactive
                        </Badge>
                      )}
                    </TableCell>
                    <TableCell className="tabular-nums">{formatMs(s.avgResponseTimeMs)}</TableCell>
                    <TableCell className="tabular-nums">{formatPercent(s.successRate, 1)}</TableCell>
                    <TableCell className="hidden md:table-cell">
                      <Badge variant={s.tlsMode === 'insecure' ? 'warning' : 'secondary'}>{s.tlsMode}</Badge>
                    </TableCell>
                    <TableCell className="hidden whitespace-nowrap text-muted-foreground lg:table-cell">
                      {formatRelative(s.lastHealthCheckAt)}
                    </TableCell>
                    {manage ? (
                      <TableCell>
                        {s.can.manage ? (
                          <div className="flex justify-end gap-1">
                            <Button
                              variant="ghost"
                              size="icon-sm"
                              aria-label={`Edit ${s.name}`}
                              onClick={() => setEditing(s)}
                            >
                              <Pencil />
                            </Button>
                            <Button
                              variant="ghost"
                              size="icon-sm"
                              aria-label={`Delete ${s.name}`}
                              onClick={() => setDeleting(s)}
                            >
                              <Trash />
                            </Button>
                          </div>
                        ) : null}
                      </TableCell>
                    ) : null}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Card>
        </div>
      )}
      <ServerFormDialog
        tenantId={tenant.id}
        open={adding || editing !== null}
        onOpenChange={(o) => {
          if (!o) {
            setAdding(false);
            setEditing(null);
          }
        }}
        server={editing}
        defaults={settings.data}
      />
      <ImportDialog tenantId={tenant.id} open={importing} onOpenChange={setImporting} />
      <DeleteDialog
        target={deleting}
        name={(s) => s.name}
        onClose={() => setDeleting(null)}
        description="Its stored token is destroyed and its consoles close. Guests on it disappear from Nexus (nothing changes on Proxmox)."
        confirmLabel="Delete server"
        remove={del}
      />
    </>
  );
}
