// Who else is on this console: a count in the toolbar, the people (and whether they only watch)
// in a popover; someone on it through a share link shows as the link's creator's, with their address.
import { Users } from 'lucide-react';
import { useIntl } from 'react-intl';
import { Button } from '@/components/ui/button';
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover';
import { formatRelative } from '@/lib/format';
import { useConsoleViewers } from '../api/get-console-viewers';
import { m, othersWatching, shareOf, you } from '../messages';

export function ConsoleViewers({ tenantId, serverId, vmid }: { tenantId: string; serverId: string; vmid: number }) {
  const viewers = useConsoleViewers(tenantId, serverId, vmid);
  const all = viewers.data?.consoles ?? [];
  const others = all.filter((c) => !c.mine);
  const t = useIntl().formatMessage;
  return (
    <Popover>
      <PopoverTrigger asChild>
        <Button variant="ghost" size="sm" title={t(m.whoElse)}>
          <Users aria-hidden />
          {t(othersWatching, { count: others.length })}
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-72">
        <p className="mb-2 text-sm font-medium">{t(m.onThisConsole)}</p>
        {all.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t(m.onlyYou)}</p>
        ) : (
          <ul className="grid gap-1.5 text-sm" data-testid="console-viewers">
            {all.map((c) => (
              <li key={c.consoleId} className="flex items-center justify-between gap-2">
                <span className="min-w-0 truncate">
                  {c.share
                    ? t(shareOf, {
                        who: c.fullName || c.email || t(m.someone),
                        address: c.share.ip ?? t(m.unknownAddress),
                      })
                    : c.mine
                      ? t(you, { who: c.fullName || c.email || t(m.someone) })
                      : c.fullName || c.email || t(m.someone)}
                </span>
                <span className="shrink-0 text-xs text-muted-foreground">
                  {c.viewOnly ? t(m.viewing) : ''}
                  {formatRelative(c.openedAt)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </PopoverContent>
    </Popover>
  );
}
