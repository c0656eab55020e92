// The account pages' texts: security, second factors, passkeys, sessions, password (ICU messages,
// ids `account.*`; the profile form keeps its own `profile.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const ac = defineMessages({
  resetTitle: { id: 'account.security.resetTitle', defaultMessage: 'An administrator reset your second factor' },
  tenantRequiresTitle: { id: 'account.security.tenantRequires', defaultMessage: 'A tenant of yours requires a second factor' },
  tenantRequiresBody: { id: 'account.security.tenantRequiresBody', defaultMessage: 'Set up an authenticator app or add a passkey below to enter it.' },
  mustEnrolTitle: { id: 'account.security.mustEnrol', defaultMessage: 'Set up a second factor to continue' },
  mustEnrolBody: { id: 'account.security.mustEnrolBody', defaultMessage: 'This Nexus requires a second factor for your account. Set up an authenticator app or add a passkey below; everything else opens once one is there.' },
  // Second factor
  saveCodes: { id: 'account.mfa.saveCodes', defaultMessage: 'Save these recovery codes somewhere safe: each signs you in once if your phone is lost. They are not shown again.' },
  copyCodes: { id: 'account.mfa.copyCodes', defaultMessage: 'Copy the codes' },
  totpIntro: { id: 'account.mfa.intro', defaultMessage: 'Sign-ins then need a code from an authenticator app on your phone (any TOTP app: FreeOTP, Aegis, 1Password, Google or Microsoft Authenticator) besides your password.' },
  setUp: { id: 'account.mfa.setUp', defaultMessage: 'Set up an authenticator app' },
  qr: { id: 'account.mfa.qr', defaultMessage: 'QR code for the authenticator app' },
  scan: { id: 'account.mfa.scan', defaultMessage: 'Scan the code with the app, or type this key into it:' },
  wrongCode: { id: 'account.mfa.wrongCode', defaultMessage: "That code is not right. Check that the phone's clock is set automatically." },
  codeNow: { id: 'account.mfa.codeNow', defaultMessage: 'The 6-digit code the app shows now' },
  turnOn: { id: 'account.mfa.turnOn', defaultMessage: 'Turn it on' },
  title: { id: 'account.mfa.title', defaultMessage: 'Second factor' },
  description: { id: 'account.mfa.description', defaultMessage: 'A code from your phone at every sign-in, besides the password.' },
  saved: { id: 'account.mfa.saved', defaultMessage: 'I saved them' },
  app: { id: 'account.mfa.app', defaultMessage: 'Authenticator app' },
  on: { id: 'account.mfa.on', defaultMessage: 'on' },
  newCodes: { id: 'account.mfa.newCodes', defaultMessage: 'New recovery codes' },
  removeApp: { id: 'account.mfa.removeApp', defaultMessage: 'Remove the authenticator' },
  removeQuestion: { id: 'account.mfa.removeQuestion', defaultMessage: 'Remove the authenticator app?' },
  removeDescription: { id: 'account.mfa.removeDescription', defaultMessage: 'Sign-ins then need only your password (unless an administrator requires a second factor).' },
  oldCodesStop: { id: 'account.mfa.oldCodesStop', defaultMessage: 'The old codes stop working.' },
  remove: { id: 'account.mfa.remove', defaultMessage: 'Remove' },
  makeCodes: { id: 'account.mfa.makeCodes', defaultMessage: 'Make new codes' },
  removed: { id: 'account.mfa.removed', defaultMessage: 'Authenticator removed' },
  password: { id: 'account.mfa.password', defaultMessage: 'Password' },
  aCode: { id: 'account.mfa.aCode', defaultMessage: 'A code from the app' },
  // Passkeys
  passkeys: { id: 'account.passkeys.title', defaultMessage: 'Passkeys' },
  passkeysDescription: { id: 'account.passkeys.description', defaultMessage: "Sign in with this device's lock instead of a password, or as the second step." },
  notUsed: { id: 'account.passkeys.notUsed', defaultMessage: 'not used yet' },
  removeFailed: { id: 'account.passkeys.removeFailed', defaultMessage: 'Could not remove the passkey' },
  newPasskeyName: { id: 'account.passkeys.newName', defaultMessage: 'Name for a new passkey' },
  namePlaceholder: { id: 'account.passkeys.namePlaceholder', defaultMessage: 'Work laptop' },
  addPasskey: { id: 'account.passkeys.add', defaultMessage: 'Add a passkey' },
  // Sessions
  unknownBrowser: { id: 'account.sessions.unknownBrowser', defaultMessage: 'Unknown browser' },
  sessionsTitle: { id: 'account.sessions.title', defaultMessage: 'Where you are signed in' },
  sessionsDescription: { id: 'account.sessions.description', defaultMessage: 'Sign out a browser you no longer use or do not recognise.' },
  thisBrowser: { id: 'account.sessions.thisBrowser', defaultMessage: 'this browser' },
  unknownAddress: { id: 'account.sessions.unknownAddress', defaultMessage: 'unknown address' },
  signedOut: { id: 'account.sessions.signedOut', defaultMessage: 'Signed out' },
  signOutFailed: { id: 'account.sessions.signOutFailed', defaultMessage: 'Could not sign it out' },
  signOut: { id: 'account.sessions.signOut', defaultMessage: 'Sign out' },
  signOutOthersFailed: { id: 'account.sessions.signOutOthersFailed', defaultMessage: 'Could not sign them out' },
  signOutOthers: { id: 'account.sessions.signOutOthers', defaultMessage: 'Sign out all other sessions' },
  // Password
  passwordTitle: { id: 'account.password.title', defaultMessage: 'Password' },
  passwordDescription: { id: 'account.password.description', defaultMessage: 'At least 12 characters. Your other sessions end when it changes, and so do your API tokens unless you keep them.' },
  changed: { id: 'account.password.changed', defaultMessage: 'Password changed.' },
  currentWrong: { id: 'account.password.currentWrong', defaultMessage: 'The current password is wrong.' },
  current: { id: 'account.password.current', defaultMessage: 'Current password' },
  new: { id: 'account.password.new', defaultMessage: 'New password' },
  repeat: { id: 'account.password.repeat', defaultMessage: 'Repeat new password' },
  differ: { id: 'account.password.differ', defaultMessage: 'The passwords differ' },
  keepTokens: { id: 'account.password.keepTokens', defaultMessage: 'Keep my API tokens working (only if you are sure none of them leaked)' },
  change: { id: 'account.password.change', defaultMessage: 'Change password' },
});

export const securityPage = defineMessages({
  title: { id: 'account.security.title', defaultMessage: 'Security' },
  description: { id: 'account.security.description', defaultMessage: 'How you sign in, and where you are signed in.' },
});

export const resetBody = defineMessage<{ date: string }>({ id: 'account.security.resetBody', defaultMessage: 'On {date} your authenticator app, recovery codes and passkeys were removed. If you did not ask for this, tell your administrator, and set up a new one below.' });
export const couldNotStart = defineMessage<{ reason: string }>({ id: 'account.mfa.couldNotStart', defaultMessage: 'Could not start: {reason}' });
export const codesLeft = defineMessage<{ count: number }>({ id: 'account.mfa.codesLeft', defaultMessage: '{count} of 10 recovery codes left.' });
export const lastUsed = defineMessage<{ when: string }>({ id: 'account.lastUsed', defaultMessage: 'last used {when}' });
export const removePasskey = defineMessage<{ name: string }>({ id: 'account.passkeys.removeName', defaultMessage: 'Remove passkey {name}' });
export const passkeyRemoved = defineMessage<{ name: string }>({ id: 'account.passkeys.removed', defaultMessage: 'Passkey {name} removed' });
export const passkeyAdded = defineMessage<{ name: string }>({ id: 'account.passkeys.added', defaultMessage: 'Passkey {name} added' });
export const browserOn = defineMessage<{ browser: string; os: string }>({ id: 'account.sessions.browserOn', defaultMessage: '{browser} on {os}' });
export const signedOutOthers = defineMessage<{ count: number }>({ id: 'account.sessions.signedOutOthers', defaultMessage: '{count, plural, one {Signed out # other session} other {Signed out # other sessions}}' });

export const pf = defineMessages({
  title: { id: 'profile.title', defaultMessage: 'Profile' },
  saved: { id: 'profile.saved', defaultMessage: 'Profile saved' },
  globalAdmin: { id: 'profile.role.globalAdmin', defaultMessage: 'global admin' },
  user: { id: 'profile.role.user', defaultMessage: 'user' },
  fullName: { id: 'profile.fullName', defaultMessage: 'Full name' },
  avatarUrl: { id: 'profile.avatarUrl', defaultMessage: 'Avatar URL' },
  avatarHint: { id: 'profile.avatarHint', defaultMessage: 'An http(s) address of a picture.' },
  save: { id: 'profile.save', defaultMessage: 'Save profile' },
  languageHint: { id: 'profile.languageHint', defaultMessage: 'Kept with your account: every browser you sign in from uses it.' },
  languageSaved: { id: 'profile.languageSaved', defaultMessage: 'Language saved' },
});

export const since = defineMessage<{ date: string }>({ id: 'profile.since', defaultMessage: 'since {date}' });
