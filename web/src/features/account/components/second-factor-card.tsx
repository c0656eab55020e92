// The authenticator app (TOTP) on the account page: set it up (a QR code for the phone, the
// secret for typing by hand, confirmed by a first code), then ten recovery codes shown once;
// once on, new recovery codes or removal (password and a code).

import { ShieldCheck, ShieldPlus } from 'lucide-react';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { FormDialog } from '@/components/form-dialog';
import { QueryView } from '@/components/query-view';
import { PasswordField, TextField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/misc';
import { toast } from '@/components/ui/toast';
import {
  type TotpStart,
  useConfirmTotp,
  useRemoveTotp,
  useRenewRecoveryCodes,
  useSecondFactors,
  useStartTotp,
} from '../api/security';

const SIX_DIGITS = /^\d{6}$/;

/** Codes shown once, with one button to copy them all. */
function RecoveryCodeList({ codes }: { codes: string[] }) {
  return (
    <div className="grid gap-3" data-testid="recovery-codes">
      <Alert variant="warning">
        Save these recovery codes somewhere safe: each signs you in once if your phone is lost. They are not shown
        again.
      </Alert>
      <ul className="grid grid-cols-2 gap-1 rounded-md bg-muted p-3 font-mono text-sm">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <CopyButton value={codes.join('\n')} label="Copy the codes" />
    </div>
  );
}

function Enrolment({ onDone }: { onDone(codes: string[]): void }) {
  const start = useStartTotp();
  const confirm = useConfirmTotp();
  const [code, setCode] = useState('');
  const enrolment: TotpStart | undefined = start.data;
  if (!enrolment) {
    return (
      <div className="grid gap-3">
        <p className="text-sm text-muted-foreground">
          Sign-ins then need a code from an authenticator app on your phone (any TOTP app: FreeOTP, Aegis, 1Password,
          Google or Microsoft Authenticator) besides your password.
        </p>
        {start.error ? (
          <Alert variant="destructive">Could not start: {String((start.error as Error).message)}</Alert>
        ) : null}
        <div>
          <Button onClick={() => start.mutate()} disabled={start.isPending}>
            <ShieldPlus /> Set up an authenticator app
          </Button>
        </div>
      </div>
    );
  }
  return (
    <form
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        confirm.mutate(code, { onSuccess: (res) => onDone(res.recoveryCodes) });
      }}
    >
      <div className="flex flex-wrap items-center gap-4">
        <div className="rounded-md bg-white p-2">
          <QRCodeSVG
            value={enrolment.otpauthUrl}
            size={160}
            role="img"
            aria-label="QR code for the authenticator app"
          />
        </div>
        <div className="grid min-w-0 gap-2 text-sm">
          <p>Scan the code with the app, or type this key into it:</p>
          <code className="break-all rounded bg-muted px-2 py-1 font-mono text-xs" data-testid="totp-secret">
            {enrolment.secret}
          </code>
        </div>
      </div>
      {confirm.error ? (
        <Alert variant="destructive">That code is not right. Check that the phone's clock is set automatically.</Alert>
      ) : null}
      <TextField
        id="totp-confirm"
        label="The 6-digit code the app shows now"
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onValueChange={setCode}
      />
      <div>
        <Button type="submit" disabled={!SIX_DIGITS.test(code) || confirm.isPending}>
          Turn it on
        </Button>
      </div>
    </form>
  );
}

export function SecondFactorCard() {
  const status = useSecondFactors();
  const renew = useRenewRecoveryCodes();
  const remove = useRemoveTotp();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [dialog, setDialog] = useState<'renew' | 'remove' | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const close = () => {
    setDialog(null);
    setCode('');
    setPassword('');
    renew.reset();
    remove.reset();
  };

  return (
    <TitledCard title="Second factor" description="A code from your phone at every sign-in, besides the password.">
      <QueryView query={status} pending={<Skeleton className="h-24" />}>
        {(s) =>
          codes ? (
            <div className="grid gap-3">
              <RecoveryCodeList codes={codes} />
              <div>
                <Button variant="outline" onClick={() => setCodes(null)}>
                  I saved them
                </Button>
              </div>
            </div>
          ) : s.totp ? (
            <div className="grid gap-3 text-sm" data-testid="second-factor-on">
              <p className="flex items-center gap-2">
                <ShieldCheck className="size-4 text-success" /> Authenticator app <Badge variant="success">on</Badge>
              </p>
              <p className="text-muted-foreground">{s.recoveryCodesLeft} of 10 recovery codes left.</p>
              <div className="flex flex-wrap gap-2">
                <Button variant="outline" onClick={() => setDialog('renew')}>
                  New recovery codes
                </Button>
                <Button variant="outline" onClick={() => setDialog('remove')}>
                  Remove the authenticator
                </Button>
              </div>
            </div>
          ) : (
            <Enrolment onDone={setCodes} />
          )
        }
      </QueryView>
      <FormDialog
        open={dialog !== null}
        onOpenChange={(o) => !o && close()}
        title={dialog === 'remove' ? 'Remove the authenticator app?' : 'New recovery codes'}
        description={
          dialog === 'remove'
            ? 'Sign-ins then need only your password (unless an administrator requires a second factor).'
            : 'The old codes stop working.'
        }
        error={dialog === 'remove' ? remove.error : renew.error}
        submitLabel={dialog === 'remove' ? 'Remove' : 'Make new codes'}
        submitDisabled={!SIX_DIGITS.test(code) || (dialog === 'remove' && !password)}
        onSubmit={() => {
          if (dialog === 'remove') {
            remove.mutate(
              { password, code },
              {
                onSuccess: () => {
                  close();
                  toast({ variant: 'success', title: 'Authenticator removed' });
                },
              },
            );
          } else {
            renew.mutate(code, {
              onSuccess: (res) => {
                close();
                setCodes(res.recoveryCodes);
              },
            });
          }
        }}
      >
        {dialog === 'remove' ? (
          <PasswordField id="remove-password" label="Password" value={password} onValueChange={setPassword} />
        ) : null}
        <TextField
          id="factor-code"
          label="A code from the app"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onValueChange={setCode}
        />
      </FormDialog>
    </TitledCard>
  );
}
