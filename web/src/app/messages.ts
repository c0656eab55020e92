// The app frame's own texts: errors, not-found, the tenant scope, the session (ICU messages,
// ids `app.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const app = defineMessages({
  notFound: { id: 'app.notFound', defaultMessage: 'Page not found' },
  notFoundHint: { id: 'app.notFoundHint', defaultMessage: 'The address does not match any page of Nexus.' },
  goHome: { id: 'app.goHome', defaultMessage: 'Go home' },
  unknownError: { id: 'app.unknownError', defaultMessage: 'Unknown error' },
  failedToLoad: { id: 'app.failedToLoad', defaultMessage: 'This page failed to load' },
  reload: { id: 'app.reload', defaultMessage: 'Reload' },
  home: { id: 'app.home', defaultMessage: 'Home' },
  tenantMfaTitle: { id: 'app.tenant.mfaTitle', defaultMessage: 'This tenant requires a second factor' },
  tenantMfaBody: { id: 'app.tenant.mfaBody', defaultMessage: 'Its administrators let in only accounts with an authenticator app. Set one up, then come back.' },
  setUpFactor: { id: 'app.tenant.setUpFactor', defaultMessage: 'Set up a second factor' },
  tenantNotFound: { id: 'app.tenant.notFound', defaultMessage: 'Tenant not found' },
  tenantFailed: { id: 'app.tenant.failed', defaultMessage: 'Could not load this tenant' },
  tenantNotFoundHint: { id: 'app.tenant.notFoundHint', defaultMessage: 'It does not exist, or you are not a member of it.' },
  chooseTenant: { id: 'app.tenant.choose', defaultMessage: 'Choose a tenant' },
  factorResetTitle: { id: 'app.session.factorReset', defaultMessage: 'An administrator reset your second factor' },
  factorResetBody: { id: 'app.session.factorResetBody', defaultMessage: 'Set up a new one on your Security page.' },
  loadingSession: { id: 'app.session.loading', defaultMessage: 'Loading your session' },
  sessionFailed: { id: 'app.session.failed', defaultMessage: 'Nexus could not load your session.' },
  tryAgain: { id: 'app.tryAgain', defaultMessage: 'Try again' },
  tagline: { id: 'app.tagline', defaultMessage: 'Proxmox VE connection broker' },
});

export const profilePage = defineMessages({
  title: { id: 'app.profile.title', defaultMessage: 'Profile' },
  description: { id: 'app.profile.description', defaultMessage: 'Your account on this Nexus.' },
});

export const shm = defineMessages({
  dashboard: { id: 'nav.dashboard', defaultMessage: 'Dashboard' },
  servers: { id: 'nav.servers', defaultMessage: 'Servers' },
  monitoring: { id: 'nav.monitoring', defaultMessage: 'Monitoring' },
  explorer: { id: 'nav.explorer', defaultMessage: 'API explorer' },
  members: { id: 'nav.members', defaultMessage: 'Members' },
  audit: { id: 'nav.audit', defaultMessage: 'Audit log' },
  recordings: { id: 'nav.recordings', defaultMessage: 'Recordings' },
  alerts: { id: 'nav.alerts', defaultMessage: 'Alerts' },
  settings: { id: 'nav.settings', defaultMessage: 'Settings' },
  adminOverview: { id: 'nav.adminOverview', defaultMessage: 'Overview' },
  tenants: { id: 'nav.tenants', defaultMessage: 'Tenants' },
  users: { id: 'nav.users', defaultMessage: 'Users' },
  identityProviders: { id: 'nav.identityProviders', defaultMessage: 'Sign-in providers' },
  globalAudit: { id: 'nav.globalAudit', defaultMessage: 'Global audit' },
  allTenants: { id: 'nav.allTenants', defaultMessage: 'All tenants' },
  profile: { id: 'nav.profile', defaultMessage: 'Profile' },
  security: { id: 'nav.security', defaultMessage: 'Security' },
  tokens: { id: 'nav.tokens', defaultMessage: 'API tokens' },
  administration: { id: 'nav.section.administration', defaultMessage: 'Administration' },
  you: { id: 'nav.section.you', defaultMessage: 'You' },
  main: { id: 'nav.main', defaultMessage: 'Main' },
  chooseTenant: { id: 'shell.chooseTenant', defaultMessage: 'Choose a tenant' },
  noTenants: { id: 'shell.noTenants', defaultMessage: 'No tenants yet' },
  allTenantsMenu: { id: 'shell.allTenantsMenu', defaultMessage: 'All tenants…' },
  signOut: { id: 'shell.signOut', defaultMessage: 'Sign out' },
  skip: { id: 'shell.skipToContent', defaultMessage: 'Skip to content' },
  navigation: { id: 'shell.navigation', defaultMessage: 'Navigation' },
  openNavigation: { id: 'shell.openNavigation', defaultMessage: 'Open navigation' },
});

export const tenantLabel = defineMessage<{ name: string }>({ id: 'shell.tenantLabel', defaultMessage: 'Tenant: {name}' });

export const accountMenu = defineMessage<{ name: string }>({ id: 'shell.accountMenu', defaultMessage: 'Account menu for {name}' });
