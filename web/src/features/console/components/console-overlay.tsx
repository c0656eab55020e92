// Over the screen while not connected: what is happening, or how the console ended and what can
// be done (reconnect now, start a stopped guest, back to the dashboard).
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import { Play, RefreshCw } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/misc';
import { toastError } from '@/components/ui/toast';
import { useVmAction } from '@/features/vms/api/vm-action';
import type { Guest } from '@/features/vms/types';
import { MAX_ATTEMPTS, type VncSession } from '../hooks/use-vnc-session';
import { m, retrying } from '../messages';

export function ConsoleOverlay({
  tenantId,
  serverId,
  vmid,
  guest,
  session,
  countdown,
}: {
  tenantId: string;
  serverId: string;
  vmid: number;
  /** The guest as the list (kept current by the event stream) has it. */
  guest: Guest | undefined;
  session: VncSession;
  countdown: number | null;
}) {
  const startGuest = useVmAction(tenantId);
  const t = useIntl().formatMessage;
  const [startRequested, setStartRequested] = useState(false);
  const guestStopped =
    session.close?.code === CONSOLE_CLOSE.vmStopped ||
    session.close?.code === 'vm.not_running' ||
    guest?.status === 'stopped';
  // After "Start the guest": try again every 1.5 s while the answer is still "not running" (the
  // list may not know yet that it stopped, or started), for up to a minute; stop once connected.
  const [startedAt, setStartedAt] = useState(0);
  useEffect(() => {
    if (!startRequested) return;
    if (session.phase === 'connected' || Date.now() - startedAt > 60_000) {
      setStartRequested(false);
      return;
    }
    if (session.phase !== 'closed') return;
    const timer = setTimeout(session.reconnect, 1_500);
    return () => clearTimeout(timer);
  }, [startRequested, startedAt, session.phase, session.reconnect]);

  return (
    <div className="absolute inset-0 flex items-center justify-center bg-black/60 p-4">
      <div
        className="grid max-w-md gap-3 rounded-xl border border-white/10 bg-neutral-900 p-5 text-center shadow-xl"
        role="alert"
        aria-live="assertive"
      >
        {session.phase === 'requesting' || session.phase === 'connecting' ? (
          <p className="flex items-center justify-center gap-2">
            <Spinner className="text-neutral-300" /> {t(session.phase === 'requesting' ? m.asking : m.connectingGuest)}
          </p>
        ) : (
          <>
            <p className="font-medium" data-testid="console-close-title">
              {session.close?.title ?? t(m.disconnected)}
            </p>
            {session.close?.detail ? (
              <p className="text-sm break-words text-neutral-400">{session.close.detail}</p>
            ) : null}
            {session.phase === 'waiting' ? (
              <p className="text-sm text-neutral-300">
                {t(retrying, { seconds: countdown ?? 0, attempt: session.attempt, max: MAX_ATTEMPTS })}
              </p>
            ) : null}
            <div className="flex flex-wrap justify-center gap-2">
              {guestStopped && guest?.can.power && session.phase === 'closed' ? (
                <Button
                  disabled={startGuest.isPending || startRequested}
                  onClick={() =>
                    startGuest.mutate(
                      { serverId, vmid, action: 'start' },
                      {
                        onSuccess: () => {
                          setStartedAt(Date.now());
                          setStartRequested(true);
                        },
                        onError: toastError(t(m.startFailed)),
                      },
                    )
                  }
                >
                  {startRequested ? <Spinner className="text-current" /> : <Play />} {t(m.startGuest)}
                </Button>
              ) : null}
              <Button onClick={session.reconnect}>
                <RefreshCw /> {t(session.phase === 'waiting' ? m.reconnectNow : m.reconnect)}
              </Button>
              <Button
                asChild
                variant="outline"
                className="border-white/20 bg-transparent text-neutral-100 hover:bg-white/10"
              >
                <Link to={`/tenants/${tenantId}`}>{t(m.backToDashboard)}</Link>
              </Button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
