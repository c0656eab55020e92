// Adding or changing an alert channel: e-mail addresses or a webhook (URL, preset, write-only
// secret), which events, the hourly limit, quiet hours and whether it is on.
import { useState } from 'react';
import { FormDialog } from '@/components/form-dialog';
import { TextField } from '@/components/text-field';
import { ErrorAlert } from '@/components/ui/alert';
import { Checkbox } from '@/components/ui/checkbox';
import { ChoiceSelect, Textarea } from '@/components/ui/input';
import { Field, Label } from '@/components/ui/label';
import { NumberField, ToggleSetting } from '@/features/tenants/components/settings-fields';
import { fieldErrors } from '@/lib/api-client';
import { type Channel, useSaveChannel } from '../api/alerts';
import {
  ALL_EVENTS,
  type ChannelForm,
  channelBody,
  EVENT_LABELS,
  errorAt,
  formProblem,
  hasUnplacedError,
  initialForm,
} from '../channel-form-state';
import { WebhookFields } from './webhook-fields';

type Setter = <K extends keyof ChannelForm>(k: K, v: ChannelForm[K]) => void;

function EventChoices({ f, set, error }: { f: ChannelForm; set: Setter; error: string | undefined }) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium">Events</legend>
      {ALL_EVENTS.map((e) => (
        <div key={e} className="flex items-center gap-2">
          <Checkbox
            id={`ch-ev-${e}`}
            checked={f.events.includes(e)}
            onCheckedChange={(on) => set('events', on ? [...f.events, e] : f.events.filter((x) => x !== e))}
          />
          <Label htmlFor={`ch-ev-${e}`}>{EVENT_LABELS[e]}</Label>
        </div>
      ))}
      {error ? (
        <p className="text-xs text-destructive-text" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function QuietHoursFields({ f, set, errs }: { f: ChannelForm; set: Setter; errs: Record<string, string> }) {
  // A block of its own: ToggleSetting spans two columns, which would split the form's grid.
  return (
    <div className="flex flex-col gap-4">
      <ToggleSetting
        id="ch-quiet"
        label="Quiet hours"
        hint="Alerts in this window wait for its end and arrive as one digest."
        checked={f.quiet}
        onChange={(v) => set('quiet', v)}
      />
      {f.quiet ? (
        <div className="grid grid-cols-3 gap-2">
          <TextField
            id="ch-from"
            label="From"
            type="time"
            error={errorAt(errs, 'quietHours.from')}
            value={f.quietFrom}
            onValueChange={(v) => set('quietFrom', v)}
          />
          <TextField
            id="ch-until"
            label="To"
            type="time"
            error={errorAt(errs, 'quietHours.to')}
            value={f.quietTo}
            onValueChange={(v) => set('quietTo', v)}
          />
          <TextField
            id="ch-tz"
            label="Time zone"
            error={errorAt(errs, 'quietHours.timeZone')}
            value={f.timeZone}
            onValueChange={(v) => set('timeZone', v)}
          />
        </div>
      ) : null}
    </div>
  );
}

export function ChannelDialog({
  tenantId,
  editing,
  onClose,
}: {
  tenantId: string;
  /** The channel to change; null: a new one. */
  editing: Channel | null;
  onClose(): void;
}) {
  const save = useSaveChannel(tenantId, editing?.id ?? null);
  const [f, setF] = useState<ChannelForm>(initialForm(editing));
  const set: Setter = (k, v) => setF((prev) => ({ ...prev, [k]: v }));
  const problem = formProblem(f, editing);
  const errs = fieldErrors(save.error);
  return (
    <FormDialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={editing ? `Change ${editing.name}` : 'Add an alert channel'}
      description="Where this tenant's alerts go, and which ones."
      error={save.error}
      submitLabel={editing ? 'Save' : 'Add channel'}
      submitDisabled={problem !== null || save.isPending}
      onSubmit={() => save.mutate(channelBody(f, editing), { onSuccess: onClose })}
    >
      {hasUnplacedError(errs) ? <ErrorAlert error={save.error} /> : null}
      {editing ? null : (
        <Field id="ch-type" label="Type">
          <ChoiceSelect
            id="ch-type"
            value={f.type}
            choices={[
              { value: 'email', label: 'E-mail' },
              { value: 'webhook', label: 'Webhook' },
            ]}
            onValueChange={(v) => set('type', v)}
          />
        </Field>
      )}
      <TextField
        id="ch-name"
        label="Name"
        error={errorAt(errs, 'name')}
        value={f.name}
        onValueChange={(v) => set('name', v)}
      />
      {f.type === 'email' ? (
        <Field
          id="ch-to"
          label="Addresses"
          hint="Separated by commas or lines (at most 20)."
          error={errorAt(errs, 'to')}
        >
          <Textarea id="ch-to" rows={2} value={f.to} onChange={(e) => set('to', e.target.value)} />
        </Field>
      ) : (
        <WebhookFields f={f} set={set} editing={editing} errs={errs} />
      )}
      <EventChoices f={f} set={set} error={errorAt(errs, 'events')} />
      <NumberField
        id="ch-max"
        label="At most per hour (the rest as one digest)"
        error={errorAt(errs, 'maxPerHour')}
        value={f.maxPerHour}
        onChange={(n) => set('maxPerHour', n)}
        min={1}
        max={1000}
      />
      <QuietHoursFields f={f} set={set} errs={errs} />
      <div>
        <ToggleSetting
          id="ch-enabled"
          label="On"
          hint="A channel that is off receives nothing."
          checked={f.enabled}
          onChange={(v) => set('enabled', v)}
        />
      </div>
      {problem ? (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {problem}
        </p>
      ) : null}
    </FormDialog>
  );
}
