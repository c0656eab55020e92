// /admin: an overview across every tenant (servers, guests, consoles) with the audit chain state.
import { Building, Monitor, Server, Users } from 'lucide-react';
import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { Page } from '@/components/page';
import { StatCard } from '@/components/stat-card';
import { AuditChainCard } from '@/features/audit/components/audit-chain-card';
import { useMeData } from '@/features/auth/api/get-me';
import { TenantsOverview } from '@/features/tenants/components/tenants-overview';
import { useAllTenantStats } from '@/features/tenants/hooks/use-all-tenant-stats';
import { overviewPage, tm } from '@/features/tenants/messages';
import { useUsers } from '@/features/users/api/get-users';

export function Component() {
  const me = useMeData();
  const users = useUsers();
  const { tenants, stats, sum } = useAllTenantStats();
  const t = useIntl().formatMessage;
  return (
    <Page text={overviewPage} allowed={me.can.manageTenants}>
      <section aria-label={t(tm.totals)} className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Figure label={t(tm.tenants)} value={tenants.data ? tenants.data.tenants.length : '–'} icon={<Building />} />
        <Figure label={t(tm.users)} value={users.data ? users.data.users.length : '–'} icon={<Users />} />
        <Figure label={t(tm.servers)} value={sum((s) => s.servers.total)} icon={<Server />} />
        <Figure label={t(tm.activeConsoles)} value={sum((s) => s.activeConsoles)} icon={<Monitor />} />
      </section>
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <TenantsOverview tenants={tenants} stats={stats} />
        <AuditChainCard enabled={me.can.globalAudit} />
      </div>
    </Page>
  );
}

/** A total: no detail line, so the icon sits level with the figure. */
function Figure(props: { label: string; value: ReactNode; icon: ReactNode }) {
  return <StatCard className="items-center" {...props} />;
}
