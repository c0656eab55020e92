// The members feature's texts (ICU messages, ids `members.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const mm = defineMessages({
  title: { id: 'members.title', defaultMessage: 'Members' },
  description: { id: 'members.description', defaultMessage: 'Who works in this tenant, and as what.' },
  noAccess: { id: 'members.noAccess', defaultMessage: "Your role cannot see this tenant's members." },
  add: { id: 'members.add', defaultMessage: 'Add member' },
  none: { id: 'members.empty', defaultMessage: 'No members yet' },
  member: { id: 'members.column.member', defaultMessage: 'Member' },
  role: { id: 'members.column.role', defaultMessage: 'Role' },
  guests: { id: 'members.column.guests', defaultMessage: 'Guests' },
  since: { id: 'members.column.since', defaultMessage: 'Since' },
  roleFailed: { id: 'members.roleFailed', defaultMessage: 'Role not changed' },
  restricted: { id: 'members.restricted', defaultMessage: 'restricted' },
  all: { id: 'members.allGuests', defaultMessage: 'all' },
  guestAccess: { id: 'members.guestAccess', defaultMessage: 'Guest access' },
  pending: { id: 'members.invitations.title', defaultMessage: 'Pending invitations' },
  email: { id: 'members.invitations.email', defaultMessage: 'E-mail' },
  invitedBy: { id: 'members.invitations.invitedBy', defaultMessage: 'Invited by' },
  expires: { id: 'members.invitations.expires', defaultMessage: 'Expires' },
});

export const roleOf = defineMessage<{ email: string }>({ id: 'members.roleOf', defaultMessage: 'Role of {email}' });
export const nowRole = defineMessage<{ email: string; role: string }>({ id: 'members.nowRole', defaultMessage: '{email} is now {role}' });
export const removeNamed = defineMessage<{ email: string }>({ id: 'members.removeNamed', defaultMessage: 'Remove {email}' });
export const revokeFor = defineMessage<{ email: string }>({ id: 'members.invitations.revokeFor', defaultMessage: 'Revoke the invitation for {email}' });

export const md = defineMessages({
  viewer: { id: 'members.role.viewer', defaultMessage: 'Viewer' },
  manager: { id: 'members.role.manager', defaultMessage: 'Manager' },
  admin: { id: 'members.role.admin', defaultMessage: 'Admin' },
  helpAdmin: { id: 'members.roleHelp.admin', defaultMessage: 'Everything in the tenant: settings, members, servers, consoles, API writes.' },
  helpManager: { id: 'members.roleHelp.manager', defaultMessage: 'Servers, power actions, consoles, audit log; no settings or members.' },
  helpViewer: { id: 'members.roleHelp.viewer', defaultMessage: 'Sees servers and guests; console per the tenant setting (view-only by default).' },
  addTitle: { id: 'members.add.title', defaultMessage: 'Add a member' },
  inviteTitle: { id: 'members.add.inviteTitle', defaultMessage: 'Invite a member' },
  addDescription: { id: 'members.add.description', defaultMessage: 'An existing user joins at once; anyone else gets a one-time invitation link.' },
  inviteDescription: { id: 'members.add.inviteDescription', defaultMessage: 'You get a one-time invitation link to send. They join when they accept it, signed in to their account or by creating one.' },
  addMember: { id: 'members.add.submit', defaultMessage: 'Add member' },
  createInvitation: { id: 'members.add.createInvitation', defaultMessage: 'Create invitation' },
  copyLink: { id: 'members.add.copyLink', defaultMessage: 'Copy link' },
  done: { id: 'members.add.done', defaultMessage: 'Done' },
  email: { id: 'members.add.email', defaultMessage: 'Email' },
  role: { id: 'members.add.role', defaultMessage: 'Role' },
  // Guest access
  adminsNeverRestricted: { id: 'members.access.adminsNever', defaultMessage: 'Tenant admins are never restricted to guests: change the role first.' },
  restrictedToTicked: { id: 'members.access.restrictedToTicked', defaultMessage: 'Restricted to the ticked guests' },
  notRestricted: { id: 'members.access.notRestricted', defaultMessage: 'Not restricted: every guest of the tenant.' },
  restrictedToNone: { id: 'members.access.restrictedToNone', defaultMessage: 'Restricted to no guests: this member sees no guest until one is ticked.' },
  searchGuests: { id: 'members.access.search', defaultMessage: 'Search guests' },
  guestsFailed: { id: 'members.access.guestsFailed', defaultMessage: 'Could not load the guests' },
  guest: { id: 'members.access.guest', defaultMessage: 'Guest' },
  lift: { id: 'members.access.lift', defaultMessage: 'Lift restriction (all guests)' },
  save: { id: 'members.access.save', defaultMessage: 'Save access' },
  permView: { id: 'members.access.perm.view', defaultMessage: 'view' },
  permConsole: { id: 'members.access.perm.console', defaultMessage: 'console' },
  permPower: { id: 'members.access.perm.power', defaultMessage: 'power' },
  permSnapshot: { id: 'members.access.perm.snapshot', defaultMessage: 'snapshot' },
});

export const nowA = defineMessage<{ email: string; role: string }>({ id: 'members.add.nowA', defaultMessage: '{email} is now a {role}.' });
export const sendLink = defineMessage<{ email: string; role: string; until: string }>({ id: 'members.add.sendLink', defaultMessage: 'Send this link to {email}. They join as {role} when they accept it. It works once, until {until}.' });
export const accessSaved = defineMessage<{ email: string }>({ id: 'members.access.saved', defaultMessage: 'Guest access saved for {email}' });
export const accessFor = defineMessage<{ email: string }>({ id: 'members.access.title', defaultMessage: 'Guest access for {email}' });
export const accessExplained = defineMessage<{ role: string }>({
  id: 'members.access.description',
  defaultMessage: 'Tick guests to restrict this member to them. A restricted member sees only those guests (none when nothing is ticked) and manages no servers, members or API explorer; only lifting the restriction gives back every guest their role ({role}) allows.',
});
export const restrictedTo = defineMessage<{ count: number }>({ id: 'members.access.restrictedTo', defaultMessage: 'Restricted to {count, plural, one {# guest} other {# guests}}. Restricted members get no API explorer and no server management.' });
export const permGuest = defineMessage<{ perm: string; guest: string }>({ id: 'members.access.permGuest', defaultMessage: '{perm} {guest}' });

export const removeMemberText = defineMessages({
  title: { id: 'members.removeQuestion', defaultMessage: 'Remove {email}?' },
  description: { id: 'members.removeDescription', defaultMessage: 'They lose access to this tenant at once; their consoles close.' },
  confirm: { id: 'members.remove', defaultMessage: 'Remove' },
  failed: { id: 'members.notRemoved', defaultMessage: 'Not removed' },
});

export const revokeInvitationText = defineMessages({
  title: { id: 'members.invitations.revokeQuestion', defaultMessage: 'Revoke the invitation for {email}?' },
  description: { id: 'members.invitations.revokeDescription', defaultMessage: 'The link stops working at once. You can invite them again later.' },
  confirm: { id: 'members.invitations.revoke', defaultMessage: 'Revoke' },
  done: { id: 'members.invitations.revoked', defaultMessage: 'Invitation for {email} revoked' },
  failed: { id: 'members.invitations.notRevoked', defaultMessage: 'Not revoked' },
});
