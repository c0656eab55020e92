// The users feature's texts (ICU messages, ids `users.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const us = defineMessages({
  title: { id: 'users.title', defaultMessage: 'Users' },
  description: { id: 'users.description', defaultMessage: 'Accounts on this Nexus and their global roles.' },
  noAccess: { id: 'users.noAccess', defaultMessage: 'Only global administrators manage users.' },
  newUser: { id: 'users.new', defaultMessage: 'New user' },
  search: { id: 'users.search', defaultMessage: 'Search users' },
  searchPlaceholder: { id: 'users.searchPlaceholder', defaultMessage: 'Search e-mail or name' },
  user: { id: 'users.column.user', defaultMessage: 'User' },
  globalRole: { id: 'users.column.globalRole', defaultMessage: 'Global role' },
  enabled: { id: 'users.column.enabled', defaultMessage: 'Enabled' },
  created: { id: 'users.column.created', defaultMessage: 'Created' },
  disabled: { id: 'users.disabled', defaultMessage: 'disabled' },
  resetPassword: { id: 'users.resetPassword', defaultMessage: 'Reset password' },
  email: { id: 'users.email', defaultMessage: 'Email' },
  fullName: { id: 'users.fullName', defaultMessage: 'Full name (optional)' },
  initialPassword: { id: 'users.initialPassword', defaultMessage: 'Initial password' },
  passwordHint: { id: 'users.passwordHint', defaultMessage: 'At least 12 characters.' },
  newPassword: { id: 'users.newPassword', defaultMessage: 'New password' },
  you: { id: 'users.you', defaultMessage: 'you' },
});

export const roleSet = defineMessage<{ email: string; role: string }>({ id: 'users.roleSet', defaultMessage: '{email}: role set to {role}' });
export const enabledToast = defineMessage<{ email: string; enabled: string }>({ id: 'users.enabledToast', defaultMessage: '{email}: {enabled, select, yes {enabled} other {disabled}}' });
export const couldNotUpdate = defineMessage<{ email: string }>({ id: 'users.couldNotUpdate', defaultMessage: 'Could not update {email}' });
export const roleOf = defineMessage<{ email: string }>({ id: 'users.roleOf', defaultMessage: 'Global role of {email}' });
export const enabledOf = defineMessage<{ email: string }>({ id: 'users.enabledOf', defaultMessage: '{email} enabled' });
export const deleteName = defineMessage<{ name: string }>({ id: 'users.deleteName', defaultMessage: 'Delete {name}' });
export const created = defineMessage<{ email: string }>({ id: 'users.created', defaultMessage: 'Created {email}' });
export const resetDescription = defineMessage<{ email: string }>({ id: 'users.resetDescription', defaultMessage: '{email}: their sessions end and they sign in with the new password.' });
export const passwordResetFor = defineMessage<{ email: string }>({ id: 'users.passwordResetFor', defaultMessage: 'Password reset for {email}' });

export const globalRoles = defineMessages({
  user: { id: 'users.globalRole.user', defaultMessage: 'User' },
  admin: { id: 'users.globalRole.admin', defaultMessage: 'Global admin' },
});

export const deleteUserText = defineMessages({
  description: { id: 'users.deleteDescription', defaultMessage: 'The account, its memberships and tokens are removed; its live consoles close. Audit entries stay.' },
  confirm: { id: 'users.deleteUser', defaultMessage: 'Delete user' },
});

export const resetFactorText = defineMessages({
  title: { id: 'users.resetFactorOf', defaultMessage: 'Reset the second factor of {email}?' },
  description: { id: 'users.resetFactorDescription', defaultMessage: 'Their authenticator app and recovery codes stop working; they sign in with the password and set up a new one (audited).' },
  confirm: { id: 'users.resetFactor', defaultMessage: 'Reset second factor' },
  done: { id: 'users.factorReset', defaultMessage: '{email}: second factor reset' },
  failed: { id: 'users.couldNotReset', defaultMessage: 'Could not reset {email}' },
});

export const newUserText = defineMessages({
  title: { id: 'users.newTitle', defaultMessage: 'New user' },
  description: { id: 'users.newDescription', defaultMessage: 'They sign in with this e-mail and password; add them to tenants afterwards.' },
  submit: { id: 'users.create', defaultMessage: 'Create user' },
});
