// The sign-in providers' texts (ICU messages, ids `idp.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const ip = defineMessages({
  title: { id: 'idp.title', defaultMessage: 'Sign-in providers' },
  description: { id: 'idp.description', defaultMessage: 'Single sign-on with OpenID Connect: one button per provider on the sign-in page.' },
  noAccess: { id: 'idp.noAccess', defaultMessage: 'Only global administrators manage sign-in providers.' },
  add: { id: 'idp.add', defaultMessage: 'Add provider' },
  none: { id: 'idp.empty', defaultMessage: 'No sign-in providers' },
  noneHint: { id: 'idp.emptyHint', defaultMessage: 'People sign in with passwords.' },
  provider: { id: 'idp.column.provider', defaultMessage: 'Provider' },
  issuer: { id: 'idp.column.issuer', defaultMessage: 'Issuer' },
  roleMap: { id: 'idp.column.roleMap', defaultMessage: 'Role map' },
  environment: { id: 'idp.environment', defaultMessage: 'environment' },
  mfaTrusted: { id: 'idp.mfaTrusted', defaultMessage: 'MFA trusted' },
  // The dialog
  idLabel: { id: 'idp.field.id', defaultMessage: 'Id (in its URLs)' },
  idHint: { id: 'idp.field.idHint', defaultMessage: 'Lowercase letters, digits and -.' },
  nameLabel: { id: 'idp.field.name', defaultMessage: 'Button label' },
  nameHint: { id: 'idp.field.nameHint', defaultMessage: '“Sign in with …”' },
  issuerLabel: { id: 'idp.field.issuer', defaultMessage: 'Issuer URL' },
  clientId: { id: 'idp.field.clientId', defaultMessage: 'Client id' },
  clientSecret: { id: 'idp.field.clientSecret', defaultMessage: 'Client secret' },
  scopes: { id: 'idp.field.scopes', defaultMessage: 'Scopes' },
  groupsClaim: { id: 'idp.field.groupsClaim', defaultMessage: 'Groups claim' },
  linkAccounts: { id: 'idp.field.linkAccounts', defaultMessage: 'Link existing accounts' },
  linkAccountsHint: { id: 'idp.field.linkAccountsHint', defaultMessage: 'A local account with the same e-mail is joined when the provider says the e-mail is verified.' },
  trustMfa: { id: 'idp.field.trustMfa', defaultMessage: 'The provider enforces MFA' },
  trustMfaHint: { id: 'idp.field.trustMfaHint', defaultMessage: 'Its sign-ins count as multi-factor when its token says so (no Nexus second factor asked).' },
  secretStored: { id: 'idp.secretStored', defaultMessage: 'Stored; leave empty to keep it.' },
  secretPublic: { id: 'idp.secretPublic', defaultMessage: 'Empty: a public client (PKCE only).' },
  addTitle: { id: 'idp.dialog.addTitle', defaultMessage: 'Add a sign-in provider' },
  save: { id: 'idp.dialog.save', defaultMessage: 'Save' },
  roleMapHint: { id: 'idp.field.roleMapHint', defaultMessage: 'group=tenantSlug:role or group=global:admin, comma-separated; set at every sign-in.' },
});

export const changeName = defineMessage<{ name: string }>({ id: 'idp.changeName', defaultMessage: 'Change {name}' });
export const removeName = defineMessage<{ name: string }>({ id: 'idp.removeName', defaultMessage: 'Remove {name}' });
export const redirectUri = defineMessage<{ callback: string }>({ id: 'idp.dialog.description', defaultMessage: 'OpenID Connect. Register {callback} as the redirect URI at the provider.' });

export const removeProviderText = defineMessages({
  title: { id: 'idp.removeQuestion', defaultMessage: 'Remove {name}?' },
  description: { id: 'idp.removeDescription', defaultMessage: 'Its button goes away; accounts made through it stay (with their memberships).' },
  confirm: { id: 'idp.remove', defaultMessage: 'Remove' },
  done: { id: 'idp.removed', defaultMessage: '{name} removed' },
  failed: { id: 'idp.couldNotRemove', defaultMessage: 'Could not remove {name}' },
});
