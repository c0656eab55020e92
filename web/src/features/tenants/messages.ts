// The tenants feature's texts (ICU messages, ids `tenants.*`); the settings form has its own
// (settings-messages.ts).
import { defineMessage, defineMessages } from 'react-intl';

export const tm = defineMessages({
  dashboardDescription: { id: 'tenants.dashboard.description', defaultMessage: 'Servers and guests of this tenant.' },
  inactiveTitle: { id: 'tenants.dashboard.inactiveTitle', defaultMessage: 'This tenant is inactive' },
  inactiveBody: { id: 'tenants.dashboard.inactiveBody', defaultMessage: 'Consoles and actions are refused until an administrator activates it again.' },
  summary: { id: 'tenants.dashboard.summary', defaultMessage: 'Summary' },
  servers: { id: 'tenants.dashboard.servers', defaultMessage: 'Servers' },
  guests: { id: 'tenants.dashboard.guests', defaultMessage: 'Guests' },
  activeConsoles: { id: 'tenants.dashboard.activeConsoles', defaultMessage: 'Active consoles' },
  members: { id: 'tenants.dashboard.members', defaultMessage: 'Members' },
  manage: { id: 'tenants.dashboard.manage', defaultMessage: 'Manage' },
  noInventory: { id: 'tenants.dashboard.noInventory', defaultMessage: 'The guest inventory is not available on this Nexus version yet.' },
  guestsFailed: { id: 'tenants.dashboard.guestsFailed', defaultMessage: 'Could not load guests' },
  updateFailed: { id: 'tenants.table.updateFailed', defaultMessage: 'Update failed' },
  noTenants: { id: 'tenants.table.empty', defaultMessage: 'No tenants' },
  createFirst: { id: 'tenants.table.createFirst', defaultMessage: 'Create the first one.' },
  tenant: { id: 'tenants.table.tenant', defaultMessage: 'Tenant' },
  slug: { id: 'tenants.table.slug', defaultMessage: 'Slug' },
  active: { id: 'tenants.table.active', defaultMessage: 'Active' },
  created: { id: 'tenants.table.created', defaultMessage: 'Created' },
  settings: { id: 'tenants.table.settings', defaultMessage: 'Settings' },
  inactive: { id: 'tenants.inactive', defaultMessage: 'inactive' },
  newTenant: { id: 'tenants.admin.new', defaultMessage: 'New tenant' },
  // The global overview
  totals: { id: 'tenants.overview.totals', defaultMessage: 'Totals' },
  tenants: { id: 'tenants.overview.tenants', defaultMessage: 'Tenants' },
  users: { id: 'tenants.overview.users', defaultMessage: 'Users' },
  serversOnline: { id: 'tenants.overview.serversOnline', defaultMessage: 'Servers online' },
  guestsRunning: { id: 'tenants.overview.guestsRunning', defaultMessage: 'Guests running' },
  consoles: { id: 'tenants.overview.consoles', defaultMessage: 'Consoles' },
  // The picker
  manageTenants: { id: 'tenants.picker.manage', defaultMessage: 'Manage tenants' },
  noneYet: { id: 'tenants.picker.empty', defaultMessage: 'You are not in any tenant yet' },
  noneYetHint: { id: 'tenants.picker.emptyHint', defaultMessage: 'An administrator adds you to a tenant, or sends you an invitation link.' },
  globalAdmin: { id: 'tenants.picker.globalAdmin', defaultMessage: 'global admin' },
  // Creating and deleting
  name: { id: 'tenants.new.name', defaultMessage: 'Name' },
  slugHint: { id: 'tenants.new.slugHint', defaultMessage: 'Lowercase letters, digits and hyphens.' },
  descriptionOptional: { id: 'tenants.new.descriptionOptional', defaultMessage: 'Description (optional)' },
  deleteCardDescription: { id: 'tenants.delete.description', defaultMessage: 'Removes its servers, credentials, members and settings. The audit log keeps its history.' },
  cannotUndo: { id: 'tenants.delete.cannotUndo', defaultMessage: 'This cannot be undone.' },
  deleteFailed: { id: 'tenants.delete.failed', defaultMessage: 'Delete failed' },
  useDefault: { id: 'tenants.settings.useDefault', defaultMessage: 'Use default' },
  defaultColour: { id: 'tenants.settings.defaultColour', defaultMessage: 'default' },
});

export const pickerPage = defineMessages({
  title: { id: 'tenants.picker.title', defaultMessage: 'Tenants' },
  description: { id: 'tenants.picker.description', defaultMessage: 'Choose where to work.' },
});

export const overviewPage = defineMessages({
  title: { id: 'tenants.overview.title', defaultMessage: 'Administration' },
  description: { id: 'tenants.overview.description', defaultMessage: 'Every tenant at a glance.' },
  noAccess: { id: 'tenants.overview.noAccess', defaultMessage: 'Only global administrators see this page.' },
});

export const settingsPage = defineMessages({
  title: { id: 'tenants.settings.title', defaultMessage: 'Settings' },
  noAccess: { id: 'tenants.settings.noAccess', defaultMessage: 'Only tenant admins change settings.' },
});

export const tenantsPage = defineMessages({
  title: { id: 'tenants.admin.title', defaultMessage: 'Tenants' },
  description: { id: 'tenants.admin.description', defaultMessage: 'Every tenant on this Nexus.' },
  noAccess: { id: 'tenants.admin.noAccess', defaultMessage: 'Only global administrators manage tenants.' },
});

export const createdTenant = defineMessage<{ name: string }>({ id: 'tenants.new.created', defaultMessage: 'Created {name}' });
export const deleteTenantName = defineMessage<{ name: string }>({ id: 'tenants.delete.named', defaultMessage: 'Delete {name}' });
export const deleteTenantQuestion = defineMessage<{ name: string }>({ id: 'tenants.delete.question', defaultMessage: 'Delete {name}?' });

export const onlineCount = defineMessage<{ count: number }>({ id: 'tenants.dashboard.online', defaultMessage: '{count} online' });
export const runningCount = defineMessage<{ count: number }>({ id: 'tenants.dashboard.running', defaultMessage: '{count} running' });
export const activated = defineMessage<{ name: string; on: string }>({ id: 'tenants.table.activated', defaultMessage: '{on, select, true {{name} activated} other {{name} deactivated}}' });
export const activeSwitch = defineMessage<{ name: string }>({ id: 'tenants.table.activeSwitch', defaultMessage: '{name} active' });
export const deleteNamed = defineMessage<{ name: string }>({ id: 'tenants.table.deleteNamed', defaultMessage: 'Delete {name}' });
export const configurationOf = defineMessage<{ name: string }>({ id: 'tenants.settings.description', defaultMessage: 'Configuration of {name}.' });

export const deleteTenantText = defineMessages({
  description: { id: 'tenants.table.deleteDescription', defaultMessage: 'Its servers, stored credentials, memberships and settings are removed; consoles close. The audit log keeps its history.' },
  confirm: { id: 'tenants.deleteTenant', defaultMessage: 'Delete tenant' },
});

export const newTenantText = defineMessages({
  title: { id: 'tenants.new.title', defaultMessage: 'New tenant' },
  description: { id: 'tenants.new.description', defaultMessage: 'A separate space with its own servers, members and settings.' },
  submit: { id: 'tenants.new.create', defaultMessage: 'Create tenant' },
});
