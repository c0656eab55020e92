// /share/:token: a console share link's page, for someone without an account. The tenant's name,
// the guest and the time left; the PIN if the link has one; then that one console (graphical or
// text), nothing else of Nexus.
import { useCallback, useState } from 'react';
import { useParams } from 'react-router';
import { TextField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/misc';
import { useCountdown } from '@/features/console/hooks/use-countdown';
import { openSharedConsole, type PublicShare, usePublicShare } from '@/features/shares/api/shares';
import { SharedScreen } from '@/features/shares/components/shared-screen';
import { useTenantBranding } from '@/features/tenants/components/tenant-branding';
import { TerminalView } from '@/features/terminal/components/terminal-view';
import { ApiError, errorMessage } from '@/lib/api-client';
import { AuthCard } from '../layouts/auth-card';

const GONE: Record<string, string> = {
  'share.not_found': 'This share link is invalid or has expired.',
  'share.locked': 'This share link is locked after too many wrong PINs. Ask for a new one.',
  'share.disabled': 'Console sharing is switched off for this link. Ask the person who sent it.',
};

function timeLeft(seconds: number): string {
  if (seconds >= 86_400) return `${Math.floor(seconds / 86_400)} d ${Math.floor((seconds % 86_400) / 3600)} h`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function Component() {
  const { token = '' } = useParams();
  const info = usePublicShare(token);
  // The tenant's colour on its link's page.
  const primaryColor = info.data?.tenant.primaryColor ?? null;
  useTenantBranding({ primaryColor, secondaryColor: null, accentColor: null, logoUrl: null });
  const [pin, setPin] = useState<string | null>(null);
  const [pinError, setPinError] = useState<string | null>(null);

  if (info.isPending) {
    return (
      <AuthCard title="Shared console">
        <div className="flex justify-center py-6">
          <Spinner />
        </div>
      </AuthCard>
    );
  }
  if (info.isError) {
    const code = info.error instanceof ApiError ? info.error.code : '';
    return (
      <AuthCard title="Shared console">
        <Alert variant="destructive">{GONE[code] ?? errorMessage(info.error)}</Alert>
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
  return (
    <AuthCard title={share.tenant.name} description={`A console of ${share.guest.name ?? `guest ${share.guest.vmid}`}`}>
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          onPin(value);
        }}
      >
        {error ? <Alert variant="destructive">{error}</Alert> : null}
        <TextField
          id="share-pin"
          label="PIN"
          hint="The person who sent you the link has it."
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          value={value}
          onValueChange={setValue}
        />
        <Button type="submit" disabled={!/^\d{6,12}$/.test(value)}>
          Open the console
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
  const request = useCallback(
    () =>
      openSharedConsole(token, pin).catch((e: unknown) => {
        if (e instanceof ApiError && (e.code === 'share.pin_invalid' || e.code === 'share.pin_required')) {
          onPinRejected(e.message);
        }
        throw e;
      }),
    [token, pin, onPinRejected],
  );
  const name = share.guest.name ?? `Guest ${share.guest.vmid}`;
  const bar = (
    <>
      {share.tenant.logoUrl ? (
        <img src={share.tenant.logoUrl} alt="" className="size-6 rounded object-contain" />
      ) : null}
      <span className="text-neutral-400">{share.tenant.name}</span>
      <h1 className="font-medium">{name}</h1>
      <span className="text-xs text-neutral-400" data-testid="share-expiry">
        {left !== null && left > 0 ? `link expires in ${timeLeft(left)}` : 'link expired'}
      </span>
    </>
  );
  if (share.kind === 'terminal') {
    return <TerminalView request={request} sessionKey={token} name={`${share.tenant.name} · ${name}`} />;
  }
  return <SharedScreen request={request} sessionKey={token} bar={bar} />;
}
