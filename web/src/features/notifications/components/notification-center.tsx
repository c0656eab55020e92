// The bell in the header: the tenant's notable events (server offline and back, VM actions by
// others, membership changes) with unread state.

import { useQueryClient } from '@tanstack/react-query';
import { Bell, CheckCheck } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/misc';
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover';
import type { TenantMember } from '@/features/members/api/get-members';
import type { ProxmoxServer } from '@/features/servers/types';
import type { GuestList } from '@/features/vms/types';
import { translate } from '@/i18n/current-intl';
import { errorMessage, isApiError } from '@/lib/api-client';
import { formatRelative } from '@/lib/format';
import { qk } from '@/lib/query-keys';
import { cn } from '@/lib/utils';
import { useNotifications } from '../api/get-notifications';
import { useMarkNotificationsRead } from '../api/mark-notifications-read';
import { nm, said, withUnread } from '../messages';
import type { AppNotification } from '../types';

function str(v: unknown): string | null {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

export interface NameLookup {
  server(id: string): string | null;
  guest(serverId: string, vmid: number): string | null;
  user(id: string): string | null;
}

/** A sentence for a notification; ids in the payload are named from what the page already has. */
export function describeNotification(n: AppNotification, names: NameLookup): string {
  const p = n.payload;
  const serverId = str(p.serverId) ?? '';
  const server = str(p.name) ?? names.server(serverId) ?? translate(nm.aServer);
  switch (n.kind) {
    case 'server.offline': {
      const error = str(p.error);
      return error ? translate(said.offlineWhy, { server, error }) : translate(said.offline, { server });
    }
    case 'server.tls_error':
      return translate(said.tlsError, { server });
    case 'server.auth_error':
      return translate(said.authError, { server });
    case 'server.refused':
      return translate(said.refused, { server });
    case 'server.online':
      return translate(said.online, { server });
    case 'vm.action': {
      const vmid = typeof p.vmid === 'number' ? p.vmid : Number(p.vmid);
      const guest = names.guest(serverId, vmid) ?? translate(said.guest, { vmid });
      const actor = str(p.actorName) ?? ((n.actorUserId && names.user(n.actorUserId)) || translate(nm.someone));
      return translate(said.action, { actor, action: str(p.action) ?? translate(nm.anAction), guest });
    }
    case 'member.changed': {
      const who = str(p.memberName) ?? names.user(str(p.userId) ?? '') ?? translate(nm.aMember);
      const role = str(p.role);
      return role ? translate(said.nowRole, { who, role }) : translate(said.removed, { who });
    }
    default:
      return n.kind;
  }
}

function useNameLookup(tenantId: string): NameLookup {
  const qc = useQueryClient();
  return {
    server: (id) => qc.getQueryData<ProxmoxServer[]>(qk.servers(tenantId))?.find((s) => s.id === id)?.name ?? null,
    guest: (serverId, vmid) =>
      qc.getQueryData<GuestList>(qk.vms(tenantId))?.vms.find((g) => g.serverId === serverId && g.vmid === vmid)?.name ??
      null,
    user: (id) => {
      const m = qc
        .getQueryData<{ members: TenantMember[] }>(qk.members(tenantId))
        ?.members.find((x) => x.userId === id);
      return m ? m.fullName || m.email : null;
    },
  };
}

export function NotificationCenter({ tenantId }: { tenantId: string }) {
  const [open, setOpen] = useState(false);
  const query = useNotifications(tenantId);
  const markRead = useMarkNotificationsRead(tenantId);
  const names = useNameLookup(tenantId);
  const unread = query.data?.unreadCount ?? 0;
  const missing = isApiError(query.error) && query.error.status === 404;
  const t = useIntl().formatMessage;

  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          aria-label={unread > 0 ? t(withUnread, { count: unread }) : t(nm.title)}
          className="relative"
        >
          <Bell />
          {unread > 0 ? (
            <span className="absolute top-1 right-1 flex min-w-4 items-center justify-center rounded-full bg-brand px-1 text-[10px] font-semibold leading-4 text-brand-foreground">
              {unread > 99 ? '99+' : unread}
            </span>
          ) : null}
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-96 p-0">
        <div className="flex items-center justify-between border-b px-3 py-2">
          <p className="text-sm font-semibold">{t(nm.title)}</p>
          <Button
            variant="ghost"
            size="sm"
            disabled={unread === 0 || markRead.isPending}
            onClick={() => markRead.mutate('all')}
          >
            <CheckCheck /> {t(nm.markAllRead)}
          </Button>
        </div>
        <div className="max-h-96 overflow-y-auto">
          {query.isPending ? (
            <div className="flex justify-center p-6">
              <Spinner />
            </div>
          ) : query.isError ? (
            <p className="p-4 text-sm text-muted-foreground">
              {missing ? t(nm.unavailable) : errorMessage(query.error)}
            </p>
          ) : query.data.notifications.length === 0 ? (
            <p className="p-6 text-center text-sm text-muted-foreground">{t(nm.nothingNew)}</p>
          ) : (
            <ul>
              {query.data.notifications.map((n) => (
                <li
                  key={n.id}
                  className={cn('flex gap-2 border-b px-3 py-2.5 text-sm last:border-0', !n.read && 'bg-brand/5')}
                >
                  <span
                    aria-hidden
                    className={cn('mt-1.5 size-2 shrink-0 rounded-full', n.read ? 'bg-transparent' : 'bg-brand')}
                  />
                  <div className="min-w-0 flex-1">
                    <p className="break-words">{describeNotification(n, names)}</p>
                    <p className="text-xs text-muted-foreground">
                      {formatRelative(n.createdAt)}
                      {n.read ? '' : ` · ${t(nm.unread)}`}
                    </p>
                  </div>
                  {!n.read ? (
                    <button
                      type="button"
                      className="self-start text-xs text-muted-foreground hover:text-foreground"
                      onClick={() => markRead.mutate([n.id])}
                    >
                      {t(nm.markRead)}
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </div>
      </PopoverContent>
    </Popover>
  );
}
