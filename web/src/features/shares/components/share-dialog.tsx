// "Share console": a time-limited link to this guest's console for someone without an account —
// watching or with control (never more than the caller's own console and the tenant allow), for
// 5 minutes to 7 days, optionally a few uses only and behind a PIN, with a note on who it is for.
// The link is shown once, with a copy button and a QR code for a phone.
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { CopyButton } from '@/components/copy-button';
import { FormDialog } from '@/components/form-dialog';
import { TextField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { type Choice, ChoiceSelect, Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import type { Guest } from '@/features/vms/types';
import { formatDateTime } from '@/lib/format';
import { type ShareCreated, useCreateShare } from '../api/shares';
import { createdSummary, sh, shareDialogText } from '../messages';

const DURATIONS: [string, MessageDescriptor][] = [
  ['15', sh.d15],
  ['60', sh.d60],
  ['120', sh.d120],
  ['480', sh.d480],
  ['1440', sh.d1440],
  ['10080', sh.d10080],
];

export function ShareDialog({
  open,
  onOpenChange,
  tenantId,
  guest,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  tenantId: string;
  guest: Guest;
}) {
  const create = useCreateShare(tenantId, guest.serverId, guest.vmid);
  const canControl = guest.can.share === 'control';
  const [mode, setMode] = useState<'view' | 'control'>('view');
  const [minutes, setMinutes] = useState('60');
  const [maxUses, setMaxUses] = useState('');
  const [pin, setPin] = useState('');
  const [note, setNote] = useState('');
  const [created, setCreated] = useState<ShareCreated | null>(null);
  const t = useIntl().formatMessage;
  const durations: Choice<string>[] = DURATIONS.map(([value, label]) => ({ value, label: t(label) }));
  const modes: Choice<'view' | 'control'>[] = [
    { value: 'view', label: t(sh.watchOnly) },
    { value: 'control', label: t(sh.useKeyboard), disabled: !canControl },
  ];
  const pinProblem = pin && !/^\d{6,12}$/.test(pin) ? t(sh.pinProblem) : undefined;
  const usesProblem = maxUses && !/^[1-9]\d{0,3}$/.test(maxUses) ? t(sh.usesProblem) : undefined;
  const close = (next: boolean) => {
    if (!next) {
      setCreated(null);
      setPin('');
      setNote('');
      setMaxUses('');
      create.reset();
    }
    onOpenChange(next);
  };

  return (
    <FormDialog
      open={open}
      onOpenChange={close}
      text={shareDialogText}
      submitLabel={t(create.isPending ? shareDialogText.pending : shareDialogText.submit)}
      mutation={create}
      ready={!pinProblem && !usesProblem}
      onSubmit={() =>
        create.mutate(
          {
            mode,
            expiresInMinutes: Number(minutes),
            ...(maxUses ? { maxUses: Number(maxUses) } : {}),
            ...(pin ? { pin } : {}),
            ...(note.trim() ? { note: note.trim() } : {}),
          },
          { onSuccess: setCreated },
        )
      }
      result={
        created ? (
          <div className="grid gap-4" data-testid="share-created">
            <Alert variant="warning">{t(sh.copyNow)}</Alert>
            <div className="flex gap-2">
              <Input readOnly value={created.url} aria-label={t(sh.shareLink)} className="font-mono text-xs" />
              <CopyButton value={created.url} />
            </div>
            <div className="flex items-center gap-4">
              <div className="rounded-md bg-white p-2">
                <QRCodeSVG value={created.url} size={132} aria-label={t(sh.qr)} role="img" />
              </div>
              <p className="text-sm text-muted-foreground">
                {t(createdSummary, {
                  mode: created.mode,
                  time: formatDateTime(created.expiresAt),
                  pin: pin ? 'yes' : 'no',
                })}
              </p>
            </div>
          </div>
        ) : undefined
      }
    >
      <Field id="share-mode" label={t(sh.recipientMay)}>
        <ChoiceSelect
          id="share-mode"
          value={mode}
          onValueChange={(v) => setMode(v === 'control' ? 'control' : 'view')}
          choices={modes}
        />
      </Field>
      <Field id="share-expiry" label={t(sh.for)}>
        <ChoiceSelect id="share-expiry" value={minutes} onValueChange={setMinutes} choices={durations} />
      </Field>
      <TextField
        id="share-uses"
        label={t(sh.uses)}
        hint={t(sh.usesHint)}
        inputMode="numeric"
        error={usesProblem}
        value={maxUses}
        onValueChange={setMaxUses}
      />
      <TextField
        id="share-pin"
        label={t(sh.pin)}
        hint={t(sh.pinHint)}
        inputMode="numeric"
        autoComplete="off"
        error={pinProblem}
        value={pin}
        onValueChange={setPin}
      />
      <TextField
        id="share-note"
        label={t(sh.note)}
        hint={t(sh.noteHint)}
        maxLength={200}
        value={note}
        onValueChange={setNote}
      />
    </FormDialog>
  );
}
