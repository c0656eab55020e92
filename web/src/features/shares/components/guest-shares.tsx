// A guest's share links on its page: who made each, what it allows, until when, how often it was
// used and who is on it now (by address); "Share console" makes one, "Revoke" ends one and its
// open consoles at once.
import { Link2, Share2, Trash } from 'lucide-react';
import { useState } from 'react';
import { QueryView } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { toast, toastError } from '@/components/ui/toast';
import type { Guest } from '@/features/vms/types';
import { formatDateTime } from '@/lib/format';
import { type Share, useRevokeShare, useShares } from '../api/shares';
import { ShareDialog } from './share-dialog';

export function GuestShares({ tenantId, guest }: { tenantId: string; guest: Guest }) {
  const shares = useShares(tenantId, guest.serverId, guest.vmid);
  const revoke = useRevokeShare(tenantId, guest.serverId, guest.vmid);
  const [creating, setCreating] = useState(false);
  const [confirm, setConfirm] = useState<Share | null>(null);

  return (
    <TitledCard
      title="Share links"
      description="Time-limited links to this console for people without an account (a vendor, a customer)."
    >
      <div className="mb-3">
        <Button size="sm" onClick={() => setCreating(true)}>
          <Share2 /> Share console
        </Button>
      </div>
      <QueryView
        query={shares}
        pending={<Skeleton className="h-16" />}
        errorTitle="Could not load the share links"
        isEmpty={(d) => d.shares.length === 0}
        empty={<EmptyState icon={<Link2 />} title="No active share links" />}
      >
        {(data) => (
          <ul className="grid gap-2 text-sm" data-testid="share-list">
            {data.shares.map((s) => (
              <li key={s.id} className="grid gap-1 rounded-md border p-2" data-share={s.id}>
                <div className="flex flex-wrap items-center gap-2">
                  <Badge variant={s.mode === 'control' ? 'warning' : 'secondary'}>
                    {s.mode === 'control' ? 'Control' : 'View only'}
                  </Badge>
                  {s.pinRequired ? <Badge variant="secondary">PIN</Badge> : null}
                  {s.locked ? <Badge variant="destructive">Locked</Badge> : null}
                  <span className="text-muted-foreground">until {formatDateTime(s.expiresAt)}</span>
                  <Button
                    size="sm"
                    variant="ghost"
                    className="ml-auto"
                    onClick={() => setConfirm(s)}
                    aria-label="Revoke share link"
                  >
                    <Trash /> Revoke
                  </Button>
                </div>
                <p className="text-xs text-muted-foreground">
                  By {s.createdBy.fullName ?? s.createdBy.email ?? 'a former member'}
                  {s.note ? ` · ${s.note}` : ''} · used {s.uses}
                  {s.maxUses !== null ? ` of ${s.maxUses}` : ''} time{s.uses === 1 ? '' : 's'}
                </p>
                {s.watching.length > 0 ? (
                  <p className="text-xs" data-testid="share-watching">
                    On it now: {s.watching.map((w) => w.ip ?? 'unknown address').join(', ')}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <ShareDialog open={creating} onOpenChange={setCreating} tenantId={tenantId} guest={guest} />
      <ConfirmDialog
        open={confirm !== null}
        onOpenChange={(o) => !o && setConfirm(null)}
        title="Revoke this share link?"
        description="The link stops working and anyone on the console through it is disconnected."
        confirmLabel="Revoke"
        destructive
        onConfirm={() => {
          const share = confirm;
          setConfirm(null);
          if (!share) return;
          revoke.mutate(share.id, {
            onSuccess: () => toast({ variant: 'success', title: 'Share link revoked' }),
            onError: toastError('Could not revoke the link'),
          });
        }}
      />
    </TitledCard>
  );
}
