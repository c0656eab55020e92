// Adding or changing an alert channel: e-mail addresses or a webhook (URL, preset, write-only
// secret), which events, the hourly limit, quiet hours and whether it is on.
import { ALERT_LANGUAGES, type AlertLanguage } from '@common/schemas/alerts';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { FormDialog } from '@/components/form-dialog';
import { TextField } from '@/components/text-field';
import { ErrorAlert } from '@/components/ui/alert';
import { Checkbox } from '@/components/ui/checkbox';
import { ChoiceSelect, Textarea } from '@/components/ui/input';
import { Field, Label } from '@/components/ui/label';
import { NumberField, ToggleSetting } from '@/features/tenants/components/settings-fields';
import { LANGUAGE_NAMES } from '@/i18n/language-picker';
import { fieldErrors } from '@/lib/api-client';
import { type Channel, useSaveChannel } from '../api/alerts';
import {
  ALL_EVENTS,
  type ChannelForm,
  channelBody,
  errorAt,
  eventLabel,
  formProblem,
  hasUnplacedError,
  initialForm,
} from '../channel-form-state';
import { al, changeName } from '../messages';
import { WebhookFields } from './webhook-fields';

type Setter = <K extends keyof ChannelForm>(k: K, v: ChannelForm[K]) => void;

function EventChoices({ f, set, error }: { f: ChannelForm; set: Setter; error: string | undefined }) {
  const t = useIntl().formatMessage;
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium">{t(al.events)}</legend>
      {ALL_EVENTS.map((e) => (
        <div key={e} className="flex items-center gap-2">
          <Checkbox
            id={`ch-ev-${e}`}
            checked={f.events.includes(e)}
            onCheckedChange={(on) => set('events', on ? [...f.events, e] : f.events.filter((x) => x !== e))}
          />
          <Label htmlFor={`ch-ev-${e}`}>{eventLabel(e)}</Label>
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
  const t = useIntl().formatMessage;
  return (
    <div className="flex flex-col gap-4">
      <ToggleSetting
        id="ch-quiet"
        label={t(al.quietHours)}
        hint={t(al.quietHoursHint)}
        checked={f.quiet}
        onChange={(v) => set('quiet', v)}
      />
      {f.quiet ? (
        <div className="grid grid-cols-3 gap-2">
          <TextField
            id="ch-from"
            label={t(al.from)}
            type="time"
            error={errorAt(errs, 'quietHours.from')}
            value={f.quietFrom}
            onValueChange={(v) => set('quietFrom', v)}
          />
          <TextField
            id="ch-until"
            label={t(al.to)}
            type="time"
            error={errorAt(errs, 'quietHours.to')}
            value={f.quietTo}
            onValueChange={(v) => set('quietTo', v)}
          />
          <TextField
            id="ch-tz"
            label={t(al.timeZone)}
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
  const t = useIntl().formatMessage;
  return (
    <FormDialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={editing ? t(changeName, { name: editing.name }) : t(al.add)}
      description={t(al.dialogDescription)}
      mutation={save}
      submitLabel={editing ? t(al.save) : t(al.addChannel)}
      ready={problem === null}
      onSubmit={() => save.mutate(channelBody(f, editing), { onSuccess: onClose })}
    >
      {hasUnplacedError(errs) ? <ErrorAlert error={save.error} /> : null}
      {editing ? null : (
        <Field id="ch-type" label={t(al.type)}>
          <ChoiceSelect
            id="ch-type"
            value={f.type}
            choices={[
              { value: 'email', label: t(al.email) },
              { value: 'webhook', label: t(al.webhook) },
            ]}
            onValueChange={(v) => set('type', v)}
          />
        </Field>
      )}
      <TextField
        id="ch-name"
        label={t(al.name)}
        error={errorAt(errs, 'name')}
        value={f.name}
        onValueChange={(v) => set('name', v)}
      />
      {f.type === 'email' ? (
        <Field id="ch-to" label={t(al.addresses)} hint={t(al.addressesHint)} error={errorAt(errs, 'to')}>
          <Textarea id="ch-to" rows={2} value={f.to} onChange={(e) => set('to', e.target.value)} />
        </Field>
      ) : (
        <WebhookFields f={f} set={set} editing={editing} errs={errs} />
      )}
      <Field id="ch-language" label={t(al.language)} error={errorAt(errs, 'language')}>
        <ChoiceSelect<AlertLanguage>
          id="ch-language"
          value={f.language}
          choices={ALERT_LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          onValueChange={(v) => set('language', v)}
        />
      </Field>
      <EventChoices f={f} set={set} error={errorAt(errs, 'events')} />
      <NumberField
        id="ch-max"
        label={t(al.maxPerHour)}
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
          label={t(al.enabledLabel)}
          hint={t(al.enabledHint)}
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
