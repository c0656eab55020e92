// "Where you are signed in": every session of the account with its browser, address and last use;
// signing one out (or all others) ends it at once, with its consoles and live updates.
import { LogOut, Monitor } from 'lucide-react';
import { useIntl } from 'react-intl';
import { QueryView } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/misc';
import { toast, toastError } from '@/components/ui/toast';
import { translate } from '@/i18n/current-intl';
import { formatRelative } from '@/lib/format';
import { useAccountSessions, useRevokeSessions } from '../api/security';
import { ac, browserOn, lastUsed, signedOutOthers } from '../messages';

/** "Firefox on Linux" from a user agent string, or the string's start. */
export function describeAgent(ua: string | null): string {
  if (!ua) return translate(ac.unknownBrowser);
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : null;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  if (browser && os) return translate(browserOn, { browser, os });
  return browser ?? os ?? ua.slice(0, 40);
}

export function SessionsCard() {
  const sessions = useAccountSessions();
  const revoke = useRevokeSessions();
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(ac.sessionsTitle)} description={t(ac.sessionsDescription)}>
      <QueryView query={sessions} pending={<Skeleton className="h-24" />}>
        {(data) => (
          <div className="grid gap-3">
            <ul className="grid gap-2 text-sm" data-testid="account-sessions">
              {data.sessions.map((s) => (
                <li key={s.id} className="flex flex-wrap items-center gap-2 rounded-md border p-2">
                  <Monitor className="size-4 text-muted-foreground" aria-hidden />
                  <span className="font-medium">{describeAgent(s.userAgent)}</span>
                  {s.current ? <Badge variant="success">{t(ac.thisBrowser)}</Badge> : null}
                  <span className="text-muted-foreground">
                    {s.ip ?? t(ac.unknownAddress)} · {t(lastUsed, { when: formatRelative(s.lastSeenAt) })}
                  </span>
                  {s.current ? null : (
                    <Button
                      size="sm"
                      variant="ghost"
                      className="ml-auto"
                      onClick={() =>
                        revoke.mutate(
                          { id: s.id },
                          {
                            onSuccess: () => toast({ variant: 'success', title: t(ac.signedOut) }),
                            onError: toastError(t(ac.signOutFailed)),
                          },
                        )
                      }
                    >
                      <LogOut /> {t(ac.signOut)}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
            {data.sessions.length > 1 ? (
              <div>
                <Button
                  variant="outline"
                  onClick={() =>
                    revoke.mutate('others', {
                      onSuccess: (r) => toast({ variant: 'success', title: t(signedOutOthers, { count: r.revoked }) }),
                      onError: toastError(t(ac.signOutOthersFailed)),
                    })
                  }
                >
                  {t(ac.signOutOthers)}
                </Button>
              </div>
            ) : null}
          </div>
        )}
      </QueryView>
    </TitledCard>
  );
}
