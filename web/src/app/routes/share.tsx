// /share/:token: a console share link's page, for someone without an account. The tenant's name,
// the guest and the time left; the PIN if the link has one; then that one console (graphical or
// text), nothing else of Nexus.
import { useCallback, useState } from 'react';
import { type IntlShape, useIntl } from 'react-intl';
import { useParams } from 'react-router';
import { CodeField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useCountdown } from '@/features/console/hooks/use-countdown';
import { guestFallback } from '@/features/console/messages';
import { guestName } from '@/features/recordings/messages';
import { openSharedConsole, type PublicShare, usePublicShare } from '@/features/shares/api/shares';
import { SharedScreen } from '@/features/shares/components/shared-screen';
import { consoleOf, daysLeft, expiresIn, GONE, hoursLeft, sp } from '@/features/shares/messages';
import { useTenantBranding } from '@/features/tenants/components/tenant-branding';
import { TerminalView } from '@/features/terminal/components/terminal-view';
import { ApiError, errorMessage } from '@/lib/api-client';
import { AuthCard } from '../layouts/auth-card';

function timeLeft(seconds: number, t: IntlShape['formatMessage']): string {
  if (seconds >= 86_400) {
    return t(daysLeft, { days: Math.floor(seconds / 86_400), hours: Math.floor((seconds % 86_400) / 3600) });
  }
  if (seconds >= 3600)
    return t(hoursLeft, { hours: Math.floor(seconds / 3600), minutes: Math.floor((seconds % 3600) / 60) });
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function Component() {
  const { token = '' } = useParams();
  const info = usePublicShare(token);
  const t = useIntl().formatMessage;
  // The tenant's colour on its link's page.
  const primaryColor = info.data?.tenant.primaryColor ?? null;
  useTenantBranding({ primaryColor, secondaryColor: null, accentColor: null, logoUrl: null });
  const [pin, setPin] = useState<string | null>(null);
  const [pinError, setPinError] = useState<string | null>(null);

  if (info.isPending) {
    return <AuthCard title={t(sp.title)} />;
  }
  if (info.isError) {
    const code = info.error instanceof ApiError ? info.error.code : '';
    return (
      <AuthCard title={t(sp.title)}>
        <Alert variant="destructive">
          {code in GONE ? t(GONE[code as keyof typeof GONE]) : errorMessage(info.error)}
        </Alert>
      </AuthCard>
    );
  }
  const share = info.data;
  if (share.pinRequired && pin === null) {
    return <PinForm share={share} error={pinError} onPin={setPin} />;
  }
  return (
    <SharedConsole
      token={token}
      share={share}
      pin={pin}
      onPinRejected={(message) => {
        setPinError(message);
        setPin(null);
      }}
    />
  );
}

function PinForm({ share, error, onPin }: { share: PublicShare; error: string | null; onPin(pin: string): void }) {
  const [value, setValue] = useState('');
  const t = useIntl().formatMessage;
  return (
    <AuthCard
      title={share.tenant.name}
      description={t(consoleOf, { name: share.guest.name ?? t(guestName, { vmid: share.guest.vmid }) })}
    >
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          onPin(value);
        }}
      >
        {error ? <Alert variant="destructive">{error}</Alert> : null}
        <CodeField
          id="share-pin"
          label={t(sp.pin)}
          hint={t(sp.pinHint)}
          autoFocus
          value={value}
          onValueChange={setValue}
        />
        <Button type="submit" disabled={!/^\d{6,12}$/.test(value)}>
          {t(sp.open)}
        </Button>
      </form>
    </AuthCard>
  );
}

function SharedConsole({
  token,
  share,
  pin,
  onPinRejected,
}: {
  token: string;
  share: PublicShare;
  pin: string | null;
  onPinRejected(message: string): void;
}) {
  const expiresAt = Date.parse(share.expiresAt);
  const left = useCountdown(expiresAt);
  const t = useIntl().formatMessage;
  const request = useCallback(
    () =>
      openSharedConsole(token, pin).catch((e: unknown) => {
        if (e instanceof ApiError && (e.code === 'share.pin_invalid' || e.code === 'share.pin_required')) {
          onPinRejected(errorMessage(e));
        }
        throw e;
      }),
    [token, pin, onPinRejected],
  );
  const name = share.guest.name ?? t(guestFallback, { vmid: share.guest.vmid });
  const bar = (
    <>
      {share.tenant.logoUrl ? (
        <img src={share.tenant.logoUrl} alt="" className="size-6 rounded object-contain" />
      ) : null}
      <span className="text-neutral-400">{share.tenant.name}</span>
      <h1 className="font-medium">{name}</h1>
      <span className="text-xs text-neutral-400" data-testid="share-expiry">
        {left !== null && left > 0 ? t(expiresIn, { left: timeLeft(left, t) }) : t(sp.expired)}
      </span>
    </>
  );
  if (share.kind === 'terminal') {
    return <TerminalView request={request} sessionKey={token} name={`${share.tenant.name} · ${name}`} />;
  }
  return <SharedScreen request={request} sessionKey={token} bar={bar} />;
}
