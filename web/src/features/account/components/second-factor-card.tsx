// The authenticator app (TOTP) on the account page: set it up (a QR code for the phone, the
// secret for typing by hand, confirmed by a first code), then ten recovery codes shown once;
// once on, new recovery codes or removal (password and a code).

import { ShieldCheck, ShieldPlus } from 'lucide-react';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { CopyButton } from '@/components/copy-button';
import { FormDialog } from '@/components/form-dialog';
import { QueryView } from '@/components/query-view';
import { CodeField, PasswordField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/misc';
import { toast } from '@/components/ui/toast';
import { errorMessage } from '@/lib/api-client';
import {
  type TotpStart,
  useConfirmTotp,
  useRemoveTotp,
  useRenewRecoveryCodes,
  useSecondFactors,
  useStartTotp,
} from '../api/security';
import { ac, codesLeft, couldNotStart } from '../messages';

const SIX_DIGITS = /^\d{6}$/;

/** Codes shown once, with one button to copy them all. */
function RecoveryCodeList({ codes }: { codes: string[] }) {
  const t = useIntl().formatMessage;
  return (
    <div className="grid gap-3" data-testid="recovery-codes">
      <Alert variant="warning">{t(ac.saveCodes)}</Alert>
      <ul className="grid grid-cols-2 gap-1 rounded-md bg-muted p-3 font-mono text-sm">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <CopyButton value={codes.join('\n')} label={t(ac.copyCodes)} />
    </div>
  );
}

function Enrolment({ onDone }: { onDone(codes: string[]): void }) {
  const start = useStartTotp();
  const confirm = useConfirmTotp();
  const [code, setCode] = useState('');
  const t = useIntl().formatMessage;
  const enrolment: TotpStart | undefined = start.data;
  if (!enrolment) {
    return (
      <div className="grid gap-3">
        <p className="text-sm text-muted-foreground">{t(ac.totpIntro)}</p>
        {start.error ? (
          <Alert variant="destructive">{t(couldNotStart, { reason: errorMessage(start.error) })}</Alert>
        ) : null}
        <div>
          <Button onClick={() => start.mutate()} disabled={start.isPending}>
            <ShieldPlus /> {t(ac.setUp)}
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
          <QRCodeSVG value={enrolment.otpauthUrl} size={160} role="img" aria-label={t(ac.qr)} />
        </div>
        <div className="grid min-w-0 gap-2 text-sm">
          <p>{t(ac.scan)}</p>
          <code className="break-all rounded bg-muted px-2 py-1 font-mono text-xs" data-testid="totp-secret">
            {enrolment.secret}
          </code>
        </div>
      </div>
      {confirm.error ? <Alert variant="destructive">{t(ac.wrongCode)}</Alert> : null}
      <CodeField id="totp-confirm" label={t(ac.codeNow)} value={code} onValueChange={setCode} />
      <div>
        <Button type="submit" disabled={!SIX_DIGITS.test(code) || confirm.isPending}>
          {t(ac.turnOn)}
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
  const t = useIntl().formatMessage;

  return (
    <TitledCard title={t(ac.title)} description={t(ac.description)}>
      <QueryView query={status} pending={<Skeleton className="h-24" />}>
        {(s) =>
          codes ? (
            <div className="grid gap-3">
              <RecoveryCodeList codes={codes} />
              <div>
                <Button variant="outline" onClick={() => setCodes(null)}>
                  {t(ac.saved)}
                </Button>
              </div>
            </div>
          ) : s.totp ? (
            <div className="grid gap-3 text-sm" data-testid="second-factor-on">
              <p className="flex items-center gap-2">
                <ShieldCheck className="size-4 text-success" /> {t(ac.app)} <Badge variant="success">{t(ac.on)}</Badge>
              </p>
              <p className="text-muted-foreground">{t(codesLeft, { count: s.recoveryCodesLeft })}</p>
              <div className="flex flex-wrap gap-2">
                <Button variant="outline" onClick={() => setDialog('renew')}>
                  {t(ac.newCodes)}
                </Button>
                <Button variant="outline" onClick={() => setDialog('remove')}>
                  {t(ac.removeApp)}
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
        title={dialog === 'remove' ? t(ac.removeQuestion) : t(ac.newCodes)}
        description={dialog === 'remove' ? t(ac.removeDescription) : t(ac.oldCodesStop)}
        mutation={dialog === 'remove' ? remove : renew}
        submitLabel={dialog === 'remove' ? t(ac.remove) : t(ac.makeCodes)}
        ready={SIX_DIGITS.test(code) && (dialog !== 'remove' || Boolean(password))}
        onSubmit={() => {
          if (dialog === 'remove') {
            remove.mutate(
              { password, code },
              {
                onSuccess: () => {
                  close();
                  toast({ variant: 'success', title: t(ac.removed) });
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
          <PasswordField id="remove-password" label={t(ac.password)} value={password} onValueChange={setPassword} />
        ) : null}
        <CodeField id="factor-code" label={t(ac.aCode)} value={code} onValueChange={setCode} />
      </FormDialog>
    </TitledCard>
  );
}
