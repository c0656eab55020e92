// /tenants/:tenantId/alerts: where the tenant's alerts go (e-mail, webhooks) and muted servers.
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { Page } from '@/components/page';
import { Button } from '@/components/ui/button';
import type { Channel } from '@/features/alerts/api/alerts';
import { ChannelDialog } from '@/features/alerts/components/channel-dialog';
import { ChannelsTable } from '@/features/alerts/components/channels-table';
import { MutesCard } from '@/features/alerts/components/mutes-card';
import { al } from '@/features/alerts/messages';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const t = useIntl().formatMessage;
  return (
    <Page
      text={al}
      allowed={tenant.can.manageAlerts}
      actions={
        <Button onClick={() => setEditing('new')}>
          <Plus /> {t(al.addChannel)}
        </Button>
      }
    >
      <div className="grid gap-6">
        <ChannelsTable tenantId={tenant.id} onEdit={setEditing} />
        <MutesCard tenantId={tenant.id} />
      </div>
      {editing ? (
        <ChannelDialog
          key={editing === 'new' ? 'new' : editing.id}
          tenantId={tenant.id}
          editing={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </Page>
  );
}
