// A guest's share links on its page: who made each, what it allows, until when, how often it was
// used and who is on it now (by address); "Share console" makes one, "Revoke" ends one and its
// open consoles at once.
import { Link2, Share2, Trash } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useConfirmedAction } from '@/components/confirmed-action';
import { QueryView } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import type { Guest } from '@/features/vms/types';
import { formatDateTime } from '@/lib/format';
import { type Share, useRevokeShare, useShares } from '../api/shares';
import { byLine, onItNow, revokeShareText, sh, until } from '../messages';
import { ShareDialog } from './share-dialog';

export function GuestShares({ tenantId, guest }: { tenantId: string; guest: Guest }) {
  const shares = useShares(tenantId, guest.serverId, guest.vmid);
  const revoke = useRevokeShare(tenantId, guest.serverId, guest.vmid);
  const [creating, setCreating] = useState(false);
  const t = useIntl().formatMessage;
  const revoker = useConfirmedAction<Share>(revokeShareText, revoke, 'id');

  return (
    <TitledCard title={t(sh.title)} description={t(sh.description)}>
      <div className="mb-3">
        <Button size="sm" onClick={() => setCreating(true)}>
          <Share2 /> {t(sh.shareConsole)}
        </Button>
      </div>
      <QueryView
        query={shares}
        pending={<Skeleton className="h-16" />}
        errorTitle={t(sh.loadFailed)}
        isEmpty={(d) => d.shares.length === 0}
        empty={<EmptyState icon={<Link2 />} title={t(sh.none)} />}
      >
        {(data) => (
          <ul className="grid gap-2 text-sm" data-testid="share-list">
            {data.shares.map((s) => (
              <li key={s.id} className="grid gap-1 rounded-md border p-2" data-share={s.id}>
                <div className="flex flex-wrap items-center gap-2">
                  <Badge variant={s.mode === 'control' ? 'warning' : 'secondary'}>
                    {s.mode === 'control' ? t(sh.control) : t(sh.viewOnly)}
                  </Badge>
                  {s.pinRequired ? <Badge variant="secondary">PIN</Badge> : null}
                  {s.locked ? <Badge variant="destructive">{t(sh.locked)}</Badge> : null}
                  <span className="text-muted-foreground">{t(until, { time: formatDateTime(s.expiresAt) })}</span>
                  <Button
                    size="sm"
                    variant="ghost"
                    className="ml-auto"
                    onClick={() => revoker.ask(s)}
                    aria-label={t(sh.revokeLink)}
                  >
                    <Trash /> {t(revokeShareText.confirm)}
                  </Button>
                </div>
                <p className="text-xs text-muted-foreground">
                  {t(byLine, {
                    who: s.createdBy.fullName ?? s.createdBy.email ?? t(sh.formerMember),
                    note: s.note ?? 'none',
                    uses: s.uses,
                    max: s.maxUses !== null ? String(s.maxUses) : 'none',
                  })}
                </p>
                {s.watching.length > 0 ? (
                  <p className="text-xs" data-testid="share-watching">
                    {t(onItNow, { addresses: s.watching.map((w) => w.ip ?? t(sh.unknownAddress)).join(', ') })}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <ShareDialog open={creating} onOpenChange={setCreating} tenantId={tenantId} guest={guest} />
      {revoker.dialog}
    </TitledCard>
  );
}
