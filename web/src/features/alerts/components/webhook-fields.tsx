// A webhook channel's URL, body format and write-only signing secret. A stored secret is never
// shown: it can be kept, replaced or removed, and a new URL needs one of the last two.
import { WEBHOOK_PRESETS } from '@common/schemas/alerts';
import { useIntl } from 'react-intl';
import { PasswordField, TextField } from '@/components/text-field';
import { Button } from '@/components/ui/button';
import { ChoiceSelect } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import type { Channel } from '../api/alerts';
import { type ChannelForm, errorAt, PRESET_LABELS, secretMustChange } from '../channel-form-state';
import { al, urlNow } from '../messages';

type Setter = <K extends keyof ChannelForm>(k: K, v: ChannelForm[K]) => void;

function StoredSecret({ f, set, editing }: { f: ChannelForm; set: Setter; editing: Channel }) {
  const removing = f.secretMode === 'none';
  const t = useIntl().formatMessage;
  return (
    <fieldset className="grid gap-2 rounded-md border p-3">
      <legend className="px-1 text-sm font-medium">{t(al.signingSecret)}</legend>
      <p className="text-sm">{removing ? t(al.secretRemoved) : t(al.secretStored)}</p>
      {secretMustChange(f, editing) ? (
        <p className="text-xs text-destructive-text" role="alert">
          {t(al.secretMustChange)}
        </p>
      ) : null}
      <div className="flex gap-2">
        {removing ? (
          <Button type="button" variant="outline" size="sm" onClick={() => set('secretMode', 'keep')}>
            {t(al.keepIt)}
          </Button>
        ) : (
          <>
            <Button type="button" variant="outline" size="sm" onClick={() => set('secretMode', 'set')}>
              {t(al.replace)}
            </Button>
            <Button type="button" variant="outline" size="sm" onClick={() => set('secretMode', 'none')}>
              {t(al.remove)}
            </Button>
          </>
        )}
      </div>
    </fieldset>
  );
}

export function WebhookFields({
  f,
  set,
  editing,
  errs,
}: {
  f: ChannelForm;
  set: Setter;
  editing: Channel | null;
  /** A failed save's field errors. */
  errs: Record<string, string>;
}) {
  const stored = editing?.hasSecret === true;
  const t = useIntl().formatMessage;
  return (
    <>
      <TextField
        id="ch-url"
        label={editing ? t(al.newUrl) : t(al.url)}
        hint={editing ? t(urlNow, { url: editing.url ?? '' }) : undefined}
        error={errorAt(errs, 'url')}
        value={f.url}
        onValueChange={(v) => set('url', v)}
        placeholder="https://"
        inputMode="url"
      />
      <Field id="ch-preset" label={t(al.format)} error={errorAt(errs, 'preset')}>
        <ChoiceSelect
          id="ch-preset"
          value={f.preset}
          choices={WEBHOOK_PRESETS.map((p) => ({ value: p, label: PRESET_LABELS[p] }))}
          onValueChange={(v) => set('preset', v)}
        />
      </Field>
      {stored && f.secretMode !== 'set' ? <StoredSecret f={f} set={set} editing={editing} /> : null}
      {f.secretMode === 'set' ? (
        <div className="grid gap-2">
          <PasswordField
            fresh
            id="ch-secret"
            label={stored ? t(al.newSecret) : t(al.optionalSecret)}
            hint={t(al.secretHint)}
            error={errorAt(errs, 'secret')}
            value={f.secret}
            onValueChange={(v) => set('secret', v)}
          />
          {stored ? (
            <Button
              type="button"
              variant="link"
              size="sm"
              className="justify-self-start px-0"
              onClick={() => {
                set('secret', '');
                set('secretMode', 'keep');
              }}
            >
              {t(al.keepStored)}
            </Button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
