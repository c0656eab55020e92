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
      {editing ? null : (
        <TextField
          id="idp-id"
          label="Id (in its URLs)"
          hint="Lowercase letters, digits and -."
          value={f.id}
          onValueChange={(v) => set('id', v)}
        />
      )}
      <TextField
        id="idp-name"
        label="Button label"
        hint="“Sign in with …”"
        value={f.name}
        onValueChange={(v) => set('name', v)}
      />
      <TextField
        id="idp-issuer"
        label="Issuer URL"
        type="url"
        value={f.issuer}
        onValueChange={(v) => set('issuer', v)}
      />
      <TextField id="idp-client" label="Client id" value={f.clientId} onValueChange={(v) => set('clientId', v)} />
      <TextField
        id="idp-secret"
        label="Client secret"
        type="password"
        autoComplete="off"
        hint={editing?.hasClientSecret ? 'Stored; leave empty to keep it.' : 'Empty: a public client (PKCE only).'}
        value={f.clientSecret ?? ''}
        onValueChange={(v) => set('clientSecret', v)}
      />
      <TextField id="idp-scopes" label="Scopes" value={f.scopes} onValueChange={(v) => set('scopes', v)} />
      <TextField
        id="idp-groups"
        label="Groups claim"
        value={f.groupsClaim}
        onValueChange={(v) => set('groupsClaim', v)}
      />
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
      <ToggleSetting
        id="idp-linking"
        label="Link existing accounts"
        hint="A local account with the same e-mail is joined when the provider says the e-mail is verified."
        checked={f.allowLinking}
        onChange={(v) => set('allowLinking', v)}
      />
      <ToggleSetting
        id="idp-mfa"
        label="The provider enforces MFA"
        hint="Its sign-ins count as multi-factor when its token says so (no Nexus second factor asked)."
        checked={f.trustMfa}
        onChange={(v) => set('trustMfa', v)}
      />
    </FormDialog>
  );
}
