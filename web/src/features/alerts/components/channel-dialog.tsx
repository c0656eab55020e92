// Adding or changing an alert channel: e-mail addresses or a webhook (URL, preset, write-only
// secret), which events, the hourly limit, quiet hours and whether it is on.
import { WEBHOOK_PRESETS } from '@common/schemas/alerts';
import { useState } from 'react';
import { FormDialog } from '@/components/form-dialog';
import { TextField } from '@/components/text-field';
import { Checkbox } from '@/components/ui/checkbox';
import { ChoiceSelect, Textarea } from '@/components/ui/input';
import { Field, Label } from '@/components/ui/label';
import { NumberField, ToggleSetting } from '@/features/tenants/components/settings-fields';
import { type Channel, useSaveChannel } from '../api/alerts';
import {
  ALL_EVENTS,
  type ChannelForm,
  channelBody,
  EVENT_LABELS,
  formProblem,
  initialForm,
  PRESET_LABELS,
} from '../channel-form-state';

const SECRET_MODES = [
  { value: 'keep', label: 'Keep the stored secret' },
  { value: 'set', label: 'Set a new secret' },
  { value: 'none', label: 'No secret (unsigned)' },
] as const;

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
  const set = <K extends keyof ChannelForm>(k: K, v: ChannelForm[K]) => setF((prev) => ({ ...prev, [k]: v }));
  const problem = formProblem(f, editing);
  const modes = SECRET_MODES.filter((m) => m.value !== 'keep' || editing?.hasSecret);
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
      <TextField id="ch-name" label="Name" value={f.name} onValueChange={(v) => set('name', v)} />
      {f.type === 'email' ? (
        <Field id="ch-to" label="Addresses" hint="Separated by commas or lines (at most 20).">
          <Textarea id="ch-to" rows={2} value={f.to} onChange={(e) => set('to', e.target.value)} />
        </Field>
      ) : (
        <>
          <TextField
            id="ch-url"
            label={editing ? 'New URL' : 'URL'}
            hint={editing ? `Now ${editing.url ?? ''} (shown masked). Leave empty to keep it.` : undefined}
            value={f.url}
            onValueChange={(v) => set('url', v)}
            placeholder="https://"
          />
          <Field id="ch-preset" label="Format">
            <ChoiceSelect
              id="ch-preset"
              value={f.preset}
              choices={WEBHOOK_PRESETS.map((p) => ({ value: p, label: PRESET_LABELS[p] }))}
              onValueChange={(v) => set('preset', v)}
            />
          </Field>
          <Field id="ch-secret-mode" label="Signing secret" hint="Bodies are signed X-Nexus-Signature: sha256=<HMAC>.">
            <ChoiceSelect
              id="ch-secret-mode"
              value={f.secretMode}
              choices={modes}
              onValueChange={(v) => set('secretMode', v)}
            />
          </Field>
          {f.secretMode === 'set' ? (
            <TextField
              id="ch-secret"
              label="Secret"
              type="password"
              autoComplete="off"
              hint="At least 16 characters; never shown again."
              value={f.secret}
              onValueChange={(v) => set('secret', v)}
            />
          ) : null}
        </>
      )}
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
      </fieldset>
      <NumberField
        id="ch-max"
        label="At most per hour (the rest as one digest)"
        value={f.maxPerHour}
        onChange={(n) => set('maxPerHour', n)}
        min={1}
        max={1000}
      />
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
            value={f.quietFrom}
            onValueChange={(v) => set('quietFrom', v)}
          />
          <TextField id="ch-until" label="To" type="time" value={f.quietTo} onValueChange={(v) => set('quietTo', v)} />
          <TextField id="ch-tz" label="Time zone" value={f.timeZone} onValueChange={(v) => set('timeZone', v)} />
        </div>
      ) : null}
      <ToggleSetting
        id="ch-enabled"
        label="On"
        hint="A channel that is off receives nothing."
        checked={f.enabled}
        onChange={(v) => set('enabled', v)}
      />
      {problem ? <p className="text-sm text-muted-foreground">{problem}</p> : null}
    </FormDialog>
  );
}
