// Adding or changing a sign-in provider: its issuer and this client at it (secret stored sealed,
// left as it is when empty on a change), scopes, groups claim, role map and the two trust switches.
import { useState } from 'react';
import { FormDialog } from '@/components/form-dialog';
import { TextField } from '@/components/text-field';
import { CodeTextarea } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ToggleSetting } from '@/features/tenants/components/settings-fields';
import { type IdentityProvider, type IdentityProviderInput, useSaveIdentityProvider } from '../api/identity-providers';

const BLANK: IdentityProviderInput = {
  id: '',
  name: '',
  issuer: 'https://',
  clientId: '',
  clientSecret: '',
  scopes: 'openid email profile groups',
  groupsClaim: 'groups',
  roleMap: '',
  allowLinking: false,
  trustMfa: false,
};

type TextKey = 'id' | 'name' | 'issuer' | 'clientId' | 'clientSecret' | 'scopes' | 'groupsClaim';
const TEXT_FIELDS: { key: TextKey; label: string; hint?: string }[] = [
  { key: 'id', label: 'Id (in its URLs)', hint: 'Lowercase letters, digits and -.' },
  { key: 'name', label: 'Button label', hint: '“Sign in with …”' },
  { key: 'issuer', label: 'Issuer URL' },
  { key: 'clientId', label: 'Client id' },
  { key: 'clientSecret', label: 'Client secret' },
  { key: 'scopes', label: 'Scopes' },
  { key: 'groupsClaim', label: 'Groups claim' },
];

const TOGGLES: { key: 'allowLinking' | 'trustMfa'; label: string; hint: string }[] = [
  {
    key: 'allowLinking',
    label: 'Link existing accounts',
    hint: 'A local account with the same e-mail is joined when the provider says the e-mail is verified.',
  },
  {
    key: 'trustMfa',
    label: 'The provider enforces MFA',
    hint: 'Its sign-ins count as multi-factor when its token says so (no Nexus second factor asked).',
  },
];

export function IdentityProviderDialog({
  open,
  onOpenChange,
  editing,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  /** The provider to change; null: a new one. */
  editing: IdentityProvider | null;
}) {
  const save = useSaveIdentityProvider(editing !== null);
  const [f, setF] = useState<IdentityProviderInput>(editing ? { ...editing, clientSecret: '' } : BLANK);
  const set = <K extends keyof IdentityProviderInput>(k: K, v: IdentityProviderInput[K]) => setF({ ...f, [k]: v });
  const callback = `${window.location.origin}/api/auth/oidc/${f.id || '<id>'}/callback`;
  const secretHint = editing?.hasClientSecret
    ? 'Stored; leave empty to keep it.'
    : 'Empty: a public client (PKCE only).';
  return (
    <FormDialog
      open={open}
      onOpenChange={(o) => {
        if (!o) save.reset();
        onOpenChange(o);
      }}
      title={editing ? `Change ${editing.name}` : 'Add a sign-in provider'}
      description={`OpenID Connect. Register ${callback} as the redirect URI at the provider.`}
      error={save.error}
      submitLabel={editing ? 'Save' : 'Add provider'}
      submitDisabled={!f.id || !f.name || !f.issuer || !f.clientId || save.isPending}
      onSubmit={() => save.mutate(f, { onSuccess: () => onOpenChange(false) })}
    >
      {TEXT_FIELDS.filter((t) => !(editing && t.key === 'id')).map((t) => (
        <TextField
          key={t.key}
          id={`idp-${t.key}`}
          label={t.label}
          hint={t.key === 'clientSecret' ? secretHint : t.hint}
          {...(t.key === 'clientSecret' ? { type: 'password', autoComplete: 'off' } : {})}
          value={f[t.key] ?? ''}
          onValueChange={(v) => set(t.key, v)}
        />
      ))}
      <Field
        id="idp-roles"
        label="Role map"
        hint="group=tenantSlug:role or group=global:admin, comma-separated; set at every sign-in."
      >
        <CodeTextarea
          id="idp-roles"
          rows={3}
          value={f.roleMap}
          onValueChange={(v) => set('roleMap', v)}
          placeholder="ops=acme:manager"
        />
      </Field>
      {TOGGLES.map((t) => (
        <ToggleSetting
          key={t.key}
          id={`idp-${t.key}`}
          label={t.label}
          hint={t.hint}
          checked={f[t.key]}
          onChange={(v) => set(t.key, v)}
        />
      ))}
    </FormDialog>
  );
}
