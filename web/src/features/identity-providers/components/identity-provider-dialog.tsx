// Adding or changing a sign-in provider: its issuer and this client at it (secret stored sealed,
// left as it is when empty on a change), scopes, groups claim, role map and the two trust switches.

import { useState } from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { FormDialog } from '@/components/form-dialog';
import { TextField } from '@/components/text-field';
import { CodeTextarea } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ToggleSetting } from '@/features/tenants/components/settings-fields';
import { type IdentityProvider, type IdentityProviderInput, useSaveIdentityProvider } from '../api/identity-providers';
import { changeName, ip, redirectUri } from '../messages';

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
const TEXT_FIELDS: { key: TextKey; label: MessageDescriptor; hint?: MessageDescriptor }[] = [
  { key: 'id', label: ip.idLabel, hint: ip.idHint },
  { key: 'name', label: ip.nameLabel, hint: ip.nameHint },
  { key: 'issuer', label: ip.issuerLabel },
  { key: 'clientId', label: ip.clientId },
  { key: 'clientSecret', label: ip.clientSecret },
  { key: 'scopes', label: ip.scopes },
  { key: 'groupsClaim', label: ip.groupsClaim },
];

const TOGGLES: { key: 'allowLinking' | 'trustMfa'; label: MessageDescriptor; hint: MessageDescriptor }[] = [
  { key: 'allowLinking', label: ip.linkAccounts, hint: ip.linkAccountsHint },
  { key: 'trustMfa', label: ip.trustMfa, hint: ip.trustMfaHint },
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
  const tr = useIntl().formatMessage;
  const secretHint = editing?.hasClientSecret ? tr(ip.secretStored) : tr(ip.secretPublic);
  return (
    <FormDialog
      open={open}
      onOpenChange={(o) => {
        if (!o) save.reset();
        onOpenChange(o);
      }}
      title={editing ? tr(changeName, { name: editing.name }) : tr(ip.addTitle)}
      description={tr(redirectUri, { callback })}
      mutation={save}
      submitLabel={editing ? tr(ip.save) : tr(ip.add)}
      ready={Boolean(f.id && f.name && f.issuer && f.clientId)}
      onSubmit={() => save.mutate(f, { onSuccess: () => onOpenChange(false) })}
    >
      {TEXT_FIELDS.filter((t) => !(editing && t.key === 'id')).map((t) => (
        <TextField
          key={t.key}
          id={`idp-${t.key}`}
          label={tr(t.label)}
          hint={t.key === 'clientSecret' ? secretHint : t.hint ? tr(t.hint) : undefined}
          {...(t.key === 'clientSecret' ? { type: 'password', autoComplete: 'off' } : {})}
          value={f[t.key] ?? ''}
          onValueChange={(v) => set(t.key, v)}
        />
      ))}
      <Field id="idp-roles" label={tr(ip.roleMap)} hint={tr(ip.roleMapHint)}>
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
          label={tr(t.label)}
          hint={tr(t.hint)}
          checked={f[t.key]}
          onChange={(v) => set(t.key, v)}
        />
      ))}
    </FormDialog>
  );
}
