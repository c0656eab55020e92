// /admin: an overview across every tenant (servers, guests, consoles) with the audit chain state.
import { useQueries } from '@tanstack/react-query';
import { Building, Monitor, Server, Users } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState, PageHeader, Skeleton, Spinner } from '@/components/ui/misc';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useAuditVerify } from '@/features/audit/api/verify-audit';
import { useMeData } from '@/features/auth/api/get-me';
import { getTenantStats } from '@/features/tenants/api/get-tenant-stats';
import { useTenants } from '@/features/tenants/api/get-tenants';
import { useUsers } from '@/features/users/api/get-users';
import { qk } from '@/lib/query-keys';

function Figure({ label, value, icon }: { label: string; value: ReactNode; icon: ReactNode }) {
  return (
    <Card className="flex items-center justify-between gap-3 p-4">
      <div>
        <p className="text-xs font-medium text-muted-foreground">{label}</p>
        <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
      </div>
      <span className="rounded-md bg-brand/10 p-2 text-brand-text [&_svg]:size-5">{icon}</span>
    </Card>
  );
}

export function Component() {
  const me = useMeData();
  const tenants = useTenants();
  const users = useUsers();
  const verify = useAuditVerify(me.can.globalAudit);
  const list = tenants.data?.tenants ?? [];
  const stats = useQueries({
    queries: list.map((t) => ({ queryKey: qk.stats(t.id), queryFn: () => getTenantStats(t.id), retry: false })),
  });
  if (!me.can.manageTenants)
    return <EmptyState title="No access" description="Only global administrators see this page." />;

  const sum = (f: (s: NonNullable<(typeof stats)[number]['data']>) => number) =>
    stats.reduce((acc, q) => acc + (q.data ? f(q.data) : 0), 0);

  return (
    <>
      <PageHeader title="Administration" description="Every tenant at a glance." />
      <section aria-label="Totals" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Figure label="Tenants" value={tenants.data ? list.length : '–'} icon={<Building />} />
        <Figure label="Users" value={users.data ? users.data.users.length : '–'} icon={<Users />} />
        <Figure label="Servers" value={sum((s) => s.servers.total)} icon={<Server />} />
        <Figure label="Active consoles" value={sum((s) => s.activeConsoles)} icon={<Monitor />} />
      </section>
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Tenants</CardTitle>
          </CardHeader>
          <CardContent className="px-0">
            {tenants.isPending ? (
              <Skeleton className="mx-5 h-40" />
            ) : tenants.isError ? (
              <ErrorAlert error={tenants.error} className="mx-5" />
            ) : (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Tenant</TableHead>
                    <TableHead>Servers online</TableHead>
                    <TableHead>Guests running</TableHead>
                    <TableHead>Members</TableHead>
                    <TableHead>Consoles</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {list.map((t, i) => {
                    const s = stats[i]?.data;
                    return (
                      <TableRow key={t.id}>
                        <TableCell>
                          <Link to={`/tenants/${t.id}`} className="font-medium hover:underline">
                            {t.name}
                          </Link>
                          {t.isActive ? null : (
                            <Badge variant="warning" className="ml-2">
                              inactive
                            </Badge>
                          )}
                        </TableCell>
                        <TableCell className="tabular-nums">
                          {s ? (
                            `${s.servers.byStatus.online ?? 0} / ${s.servers.total}`
                          ) : stats[i]?.isPending ? (
                            <Spinner />
                          ) : (
                            '–'
                          )}
                        </TableCell>
                        <TableCell className="tabular-nums">
                          {s ? `${s.guests.byStatus.running ?? 0} / ${s.guests.total}` : '–'}
                        </TableCell>
                        <TableCell className="tabular-nums">{s?.members ?? '–'}</TableCell>
                        <TableCell className="tabular-nums">{s?.activeConsoles ?? '–'}</TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Audit chain</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-2 text-sm">
            {verify.isPending ? (
              <Spinner />
            ) : verify.isError ? (
              <ErrorAlert error={verify.error} />
            ) : verify.data.ok ? (
              <p>
                <Badge variant="success">intact</Badge> {verify.data.checked.toLocaleString()} events verified.
              </p>
            ) : (
              <p>
                <Badge variant="destructive">broken</Badge> at #{verify.data.brokenAt?.seq}:{' '}
                {verify.data.brokenAt?.reason}
              </p>
            )}
            <Link to="/admin/audit" className="text-brand-text hover:underline">
              Open the global audit log
            </Link>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
