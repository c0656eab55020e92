// The signed-out pages' texts: setup, sign-up, invitations, the sign-in's second step (ICU
// messages, ids `auth.*`; the sign-in form keeps its `login.*`).
import { defineMessage, defineMessages, type MessageTag } from 'react-intl';

export const au = defineMessages({
  fullName: { id: 'auth.fullName', defaultMessage: 'Full name (optional)' },
  email: { id: 'auth.email', defaultMessage: 'Email' },
  password: { id: 'auth.password', defaultMessage: 'Password' },
  passwordHint: { id: 'auth.passwordHint', defaultMessage: 'At least 12 characters.' },
  creating: { id: 'auth.creating', defaultMessage: 'Creating…' },
  setupTitle: { id: 'auth.setup.title', defaultMessage: 'Set up Nexus' },
  setupDescription: { id: 'auth.setup.description', defaultMessage: 'Create the first administrator account.' },
  setupInvalid: { id: 'auth.setup.invalid', defaultMessage: 'This setup link is invalid or was already used.' },
  createAdmin: { id: 'auth.setup.create', defaultMessage: 'Create administrator' },
  signupTitle: { id: 'auth.signup.title', defaultMessage: 'Create an account' },
  signupDescription: { id: 'auth.signup.description', defaultMessage: 'You start without tenants; an administrator adds you to one.' },
  signupClosed: { id: 'auth.signup.closed', defaultMessage: 'Sign-up is closed on this server. Ask an administrator for an invitation link.' },
  backToSignIn: { id: 'auth.signup.back', defaultMessage: 'Back to sign in' },
  createAccount: { id: 'auth.signup.create', defaultMessage: 'Create account' },
  invitation: { id: 'auth.invitation.title', defaultMessage: 'Invitation' },
  invitationInvalid: { id: 'auth.invitation.invalid', defaultMessage: 'This invitation link is invalid, expired or already used.' },
  signIn: { id: 'auth.signIn', defaultMessage: 'Sign in' },
  joinNexus: { id: 'auth.invitation.joinNexus', defaultMessage: 'Join Nexus' },
  signOut: { id: 'auth.signOut', defaultMessage: 'Sign out' },
  joining: { id: 'auth.invitation.joining', defaultMessage: 'Joining…' },
  accept: { id: 'auth.invitation.accept', defaultMessage: 'Accept invitation' },
  createAndJoin: { id: 'auth.invitation.createAndJoin', defaultMessage: 'Create account and join' },
  // The sign-in's second step
  passkeyUnused: { id: 'auth.mfa.passkeyUnused', defaultMessage: 'The passkey was not used (cancelled or timed out).' },
  passkeyUnavailable: { id: 'auth.mfa.passkeyUnavailable', defaultMessage: 'This browser could not use a passkey here.' },
  confirmPasskey: { id: 'auth.mfa.confirmPasskey', defaultMessage: 'Confirm it is you with your passkey.' },
  usePasskey: { id: 'auth.mfa.usePasskey', defaultMessage: 'Use your passkey' },
  startOver: { id: 'auth.mfa.startOver', defaultMessage: 'Start over' },
  wrongCode: { id: 'auth.mfa.wrongCode', defaultMessage: 'That code is not right. Codes change every 30 seconds; each works once.' },
  timedOut: { id: 'auth.mfa.timedOut', defaultMessage: 'This step timed out. Sign in again.' },
  enterRecovery: { id: 'auth.mfa.enterRecovery', defaultMessage: 'Enter one of the recovery codes you saved when you set up the authenticator app.' },
  enterCode: { id: 'auth.mfa.enterCode', defaultMessage: 'Enter the 6-digit code your authenticator app shows for Nexus.' },
  recoveryCode: { id: 'auth.mfa.recoveryCode', defaultMessage: 'Recovery code' },
  code: { id: 'auth.mfa.code', defaultMessage: 'Code' },
  checking: { id: 'auth.mfa.checking', defaultMessage: 'Checking…' },
  continue: { id: 'auth.mfa.continue', defaultMessage: 'Continue' },
  usePasskeyInstead: { id: 'auth.mfa.usePasskeyInstead', defaultMessage: 'Use your passkey instead' },
  useApp: { id: 'auth.mfa.useApp', defaultMessage: 'Use the authenticator app' },
  useRecovery: { id: 'auth.mfa.useRecovery', defaultMessage: 'Use a recovery code' },
});

export const haveAccount = defineMessage<{ link: MessageTag }>({ id: 'auth.signup.haveAccount', defaultMessage: 'Have an account? <link>Sign in</link>' });
export const joinTenant = defineMessage<{ name: string }>({ id: 'auth.invitation.join', defaultMessage: 'Join {name}' });
export const invitedAs = defineMessage<{ role: string; until: string }>({ id: 'auth.invitation.invitedAs', defaultMessage: '{role, select, none {} other {You are invited as {role}. }}The link is valid until {until}.' });
export const wrongAccount = defineMessage<{ invited: string; email: string }>({ id: 'auth.invitation.wrongAccount', defaultMessage: 'This invitation is for {invited}, but you are signed in as {email}. Sign out, then open the link again and sign in as {invited}.' });
export const signedInAs = defineMessage<{ email: string; b: MessageTag }>({ id: 'auth.invitation.signedInAs', defaultMessage: 'You are signed in as <b>{email}</b>.' });
export const emailTaken = defineMessage<{ link: MessageTag }>({ id: 'auth.invitation.emailTaken', defaultMessage: 'An account with this e-mail exists already. <link>Sign in</link> to accept the invitation.' });
export const alreadyHave = defineMessage<{ link: MessageTag }>({ id: 'auth.invitation.alreadyHave', defaultMessage: 'Already have an account? <link>Sign in to accept</link>. New here? Choose a password.' });

export const SSO_ERRORS = defineMessages({
  'sso.link_refused': { id: 'login.sso.link_refused', defaultMessage: 'An account with your e-mail already exists here. It can be joined to single sign-on only when your provider confirms the e-mail address; ask an administrator.' },
  'sso.state_invalid': { id: 'login.sso.state_invalid', defaultMessage: 'The sign-in took too long or was started in another browser. Try again.' },
  'sso.email_missing': { id: 'login.sso.email_missing', defaultMessage: 'Your sign-in provider did not tell Nexus your e-mail address.' },
  'sso.account_disabled': { id: 'login.sso.account_disabled', defaultMessage: 'This account is disabled.' },
  'sso.failed': { id: 'login.sso.failed', defaultMessage: 'The sign-in provider could not be reached, or its answer was refused. Try again.' },
  'sso.unknown_provider': { id: 'login.sso.unknown_provider', defaultMessage: 'That sign-in provider is not configured here.' },
});

export const lm = defineMessages({
  wrong: { id: 'login.wrongCredentials', defaultMessage: 'Wrong e-mail or password.' },
  ssoFailed: { id: 'login.ssoFailed', defaultMessage: 'Single sign-on did not work. Try again.' },
  passkey: { id: 'login.withPasskey', defaultMessage: 'Sign in with a passkey' },
  orPassword: { id: 'login.orPassword', defaultMessage: 'or with your e-mail and password' },
  signedOut: { id: 'login.signedOut', defaultMessage: 'You signed out.' },
  adminPassword: { id: 'login.adminPassword', defaultMessage: 'Administrator sign-in with a password' },
  expired: { id: 'login.expired', defaultMessage: 'Your session expired or was ended elsewhere. Sign in again to continue.' },
  email: { id: 'login.email', defaultMessage: 'Email' },
  password: { id: 'login.password', defaultMessage: 'Password' },
  signingIn: { id: 'login.signingIn', defaultMessage: 'Signing in…' },
  signIn: { id: 'login.signIn', defaultMessage: 'Sign in' },
  askInvitation: { id: 'login.askInvitation', defaultMessage: 'No account? Ask an administrator for an invitation.' },
});

export const withProvider = defineMessage<{ name: string }>({ id: 'login.withProvider', defaultMessage: 'Sign in with {name}' });
