// "Where you are signed in": every session of the account with its browser, address and last use;
// signing one out (or all others) ends it at once, with its consoles and live updates.
import { LogOut, Monitor } from 'lucide-react';
import { QueryView } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/misc';
import { toast, toastError } from '@/components/ui/toast';
import { formatRelative } from '@/lib/format';
import { useAccountSessions, useRevokeSessions } from '../api/security';

/** "Firefox on Linux" from a user agent string, or the string's start. */
export function describeAgent(ua: string | null): string {
  if (!ua) return 'Unknown browser';
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
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? ua.slice(0, 40);
}

export function SessionsCard() {
  const sessions = useAccountSessions();
  const revoke = useRevokeSessions();
  return (
    <TitledCard title="Where you are signed in" description="Sign out a browser you no longer use or do not recognise.">
      <QueryView query={sessions} pending={<Skeleton className="h-24" />}>
        {(data) => (
          <div className="grid gap-3">
            <ul className="grid gap-2 text-sm" data-testid="account-sessions">
              {data.sessions.map((s) => (
                <li key={s.id} className="flex flex-wrap items-center gap-2 rounded-md border p-2">
                  <Monitor className="size-4 text-muted-foreground" aria-hidden />
                  <span className="font-medium">{describeAgent(s.userAgent)}</span>
                  {s.current ? <Badge variant="success">this browser</Badge> : null}
                  <span className="text-muted-foreground">
                    {s.ip ?? 'unknown address'} · last used {formatRelative(s.lastSeenAt)}
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
                            onSuccess: () => toast({ variant: 'success', title: 'Signed out' }),
                            onError: toastError('Could not sign it out'),
                          },
                        )
                      }
                    >
                      <LogOut /> Sign out
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
                      onSuccess: (r) => toast({ variant: 'success', title: `Signed out ${r.revoked} other sessions` }),
                      onError: toastError('Could not sign them out'),
                    })
                  }
                >
                  Sign out all other sessions
                </Button>
              </div>
            ) : null}
          </div>
        )}
      </QueryView>
    </TitledCard>
  );
}
