// A webhook channel's URL, body format and write-only signing secret. A stored secret is never
// shown: it can be kept, replaced or removed, and a new URL needs one of the last two.
import { WEBHOOK_PRESETS } from '@common/schemas/alerts';
import { PasswordField, TextField } from '@/components/text-field';
import { Button } from '@/components/ui/button';
import { ChoiceSelect } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import type { Channel } from '../api/alerts';
import { type ChannelForm, errorAt, PRESET_LABELS, secretMustChange } from '../channel-form-state';

type Setter = <K extends keyof ChannelForm>(k: K, v: ChannelForm[K]) => void;

function StoredSecret({ f, set, editing }: { f: ChannelForm; set: Setter; editing: Channel }) {
  const removing = f.secretMode === 'none';
  return (
    <fieldset className="grid gap-2 rounded-md border p-3">
      <legend className="px-1 text-sm font-medium">Signing secret</legend>
      <p className="text-sm">
        {removing ? 'The stored secret will be removed (bodies go unsigned)' : 'A secret is stored'}
      </p>
      {secretMustChange(f, editing) ? (
        <p className="text-xs text-destructive-text" role="alert">
          The URL changes: a stored secret never follows a new URL. Replace it or remove it.
        </p>
      ) : null}
      <div className="flex gap-2">
        {removing ? (
          <Button type="button" variant="outline" size="sm" onClick={() => set('secretMode', 'keep')}>
            Keep it
          </Button>
        ) : (
          <>
            <Button type="button" variant="outline" size="sm" onClick={() => set('secretMode', 'set')}>
              Replace
            </Button>
            <Button type="button" variant="outline" size="sm" onClick={() => set('secretMode', 'none')}>
              Remove
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
  return (
    <>
      <TextField
        id="ch-url"
        label={editing ? 'New URL' : 'URL'}
        hint={editing ? `Now ${editing.url ?? ''} (shown masked). Leave empty to keep it.` : undefined}
        error={errorAt(errs, 'url')}
        value={f.url}
        onValueChange={(v) => set('url', v)}
        placeholder="https://"
        inputMode="url"
      />
      <Field id="ch-preset" label="Format" error={errorAt(errs, 'preset')}>
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
            label={stored ? 'New secret' : 'Secret (optional)'}
            hint="At least 16 characters. Bodies are then signed: X-Nexus-Signature: sha256=<HMAC>. Never shown again."
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
              Keep the stored secret
            </Button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
