// "Share console": a time-limited link to this guest's console for someone without an account —
// watching or with control (never more than the caller's own console and the tenant allow), for
// 5 minutes to 7 days, optionally a few uses only and behind a PIN, with a note on who it is for.
// The link is shown once, with a copy button and a QR code for a phone.
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { FormDialog } from '@/components/form-dialog';
import { TextField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { type Choice, ChoiceSelect, Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import type { Guest } from '@/features/vms/types';
import { formatDateTime } from '@/lib/format';
import { type ShareCreated, useCreateShare } from '../api/shares';

const DURATIONS: Choice<string>[] = [
  { value: '15', label: '15 minutes' },
  { value: '60', label: '1 hour' },
  { value: '120', label: '2 hours' },
  { value: '480', label: '8 hours' },
  { value: '1440', label: '1 day' },
  { value: '10080', label: '7 days' },
];

const MODES = (canControl: boolean): Choice<'view' | 'control'>[] => [
  { value: 'view', label: 'Watch only' },
  { value: 'control', label: 'Use keyboard and mouse', disabled: !canControl },
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
  const pinProblem = pin && !/^\d{6,12}$/.test(pin) ? '6 to 12 digits' : undefined;
  const usesProblem = maxUses && !/^[1-9]\d{0,3}$/.test(maxUses) ? 'A number from 1 to 1000' : undefined;
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
      title="Share this console"
      description="A link that opens this one console, without an account, until it expires or you revoke it."
      error={create.error}
      submitLabel={create.isPending ? 'Creating…' : 'Create link'}
      submitDisabled={create.isPending || Boolean(pinProblem) || Boolean(usesProblem)}
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
            <Alert variant="warning">Copy the link now: Nexus keeps only a fingerprint of it.</Alert>
            <div className="flex gap-2">
              <Input readOnly value={created.url} aria-label="Share link" className="font-mono text-xs" />
              <CopyButton value={created.url} />
            </div>
            <div className="flex items-center gap-4">
              <div className="rounded-md bg-white p-2">
                <QRCodeSVG value={created.url} size={132} aria-label="QR code of the share link" role="img" />
              </div>
              <p className="text-sm text-muted-foreground">
                {created.mode === 'control' ? 'With control' : 'View only'}, until {formatDateTime(created.expiresAt)}
                {pin ? '; the PIN is needed too (send it another way).' : '.'}
              </p>
            </div>
          </div>
        ) : undefined
      }
    >
      <Field id="share-mode" label="The recipient may">
        <ChoiceSelect
          id="share-mode"
          value={mode}
          onValueChange={(v) => setMode(v === 'control' ? 'control' : 'view')}
          choices={MODES(canControl)}
        />
      </Field>
      <Field id="share-expiry" label="For">
        <ChoiceSelect id="share-expiry" value={minutes} onValueChange={setMinutes} choices={DURATIONS} />
      </Field>
      <TextField
        id="share-uses"
        label="Uses (optional)"
        hint="How many times the link may open the console; empty: no limit."
        inputMode="numeric"
        error={usesProblem}
        value={maxUses}
        onValueChange={setMaxUses}
      />
      <TextField
        id="share-pin"
        label="PIN (optional)"
        hint="6 to 12 digits the recipient must enter; 10 wrong ones lock the link."
        inputMode="numeric"
        autoComplete="off"
        error={pinProblem}
        value={pin}
        onValueChange={setPin}
      />
      <TextField
        id="share-note"
        label="Note (optional)"
        hint="Who it is for; shown to your team, not to the recipient."
        maxLength={200}
        value={note}
        onValueChange={setNote}
      />
    </FormDialog>
  );
}
