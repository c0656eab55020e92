// The alerts feature's texts (ICU messages, ids `alerts.*`).
import { defineMessage, defineMessages, type MessageTag } from 'react-intl';

export const al = defineMessages({
  title: { id: 'alerts.title', defaultMessage: 'Alerts' },
  description: { id: 'alerts.description', defaultMessage: "Channels that tell people about this tenant's servers, guests and members — without the noise." },
  noAccess: { id: 'alerts.noAccess', defaultMessage: 'Only tenant administrators manage alerts.' },
  addChannel: { id: 'alerts.addChannel', defaultMessage: 'Add channel' },
  // The channel list
  email: { id: 'alerts.type.email', defaultMessage: 'E-mail' },
  webhook: { id: 'alerts.type.webhook', defaultMessage: 'Webhook' },
  recentDeliveries: { id: 'alerts.recentDeliveries', defaultMessage: 'Recent deliveries' },
  none: { id: 'alerts.empty', defaultMessage: 'No alert channels' },
  noneHint: { id: 'alerts.emptyHint', defaultMessage: 'Alerts show in the bell only. Add an e-mail or webhook channel to be told elsewhere.' },
  channel: { id: 'alerts.column.channel', defaultMessage: 'Channel' },
  events: { id: 'alerts.column.events', defaultMessage: 'Events' },
  enabled: { id: 'alerts.column.enabled', defaultMessage: 'Enabled' },
  health: { id: 'alerts.column.health', defaultMessage: 'Health' },
  lastSuccess: { id: 'alerts.column.lastSuccess', defaultMessage: 'Last success' },
  waiting: { id: 'alerts.column.waiting', defaultMessage: 'Waiting' },
  on: { id: 'alerts.on', defaultMessage: 'On' },
  off: { id: 'alerts.off', defaultMessage: 'Off' },
  sendTest: { id: 'alerts.sendTest', defaultMessage: 'Send test' },
  // Health and tests
  noReason: { id: 'alerts.noReason', defaultMessage: 'no reason given' },
  working: { id: 'alerts.working', defaultMessage: 'Working' },
  nothingSent: { id: 'alerts.nothingSent', defaultMessage: 'Nothing sent yet' },
  nothingSentYet: { id: 'alerts.nothingSentYet', defaultMessage: 'Nothing sent yet.' },
  sendingTest: { id: 'alerts.sendingTest', defaultMessage: 'Sending a test…' },
  deliveriesFailed: { id: 'alerts.deliveriesFailed', defaultMessage: 'Could not load the deliveries.' },
  // The channel dialog
  add: { id: 'alerts.dialog.addTitle', defaultMessage: 'Add an alert channel' },
  dialogDescription: { id: 'alerts.dialog.description', defaultMessage: "Where this tenant's alerts go, and which ones." },
  save: { id: 'alerts.dialog.save', defaultMessage: 'Save' },
  type: { id: 'alerts.dialog.type', defaultMessage: 'Type' },
  name: { id: 'alerts.dialog.name', defaultMessage: 'Name' },
  addresses: { id: 'alerts.dialog.addresses', defaultMessage: 'Addresses' },
  addressesHint: { id: 'alerts.dialog.addressesHint', defaultMessage: 'Separated by commas or lines (at most 20).' },
  language: { id: 'alerts.dialog.language', defaultMessage: 'Language of the messages' },
  maxPerHour: { id: 'alerts.dialog.maxPerHour', defaultMessage: 'At most per hour (the rest as one digest)' },
  enabledLabel: { id: 'alerts.dialog.enabled', defaultMessage: 'On' },
  enabledHint: { id: 'alerts.dialog.enabledHint', defaultMessage: 'A channel that is off receives nothing.' },
  quietHours: { id: 'alerts.dialog.quietHours', defaultMessage: 'Quiet hours' },
  quietHoursHint: { id: 'alerts.dialog.quietHoursHint', defaultMessage: 'Alerts in this window wait for its end and arrive as one digest.' },
  from: { id: 'alerts.dialog.from', defaultMessage: 'From' },
  to: { id: 'alerts.dialog.to', defaultMessage: 'To' },
  timeZone: { id: 'alerts.dialog.timeZone', defaultMessage: 'Time zone' },
  // The webhook fields
  signingSecret: { id: 'alerts.webhook.signingSecret', defaultMessage: 'Signing secret' },
  secretRemoved: { id: 'alerts.webhook.secretRemoved', defaultMessage: 'The stored secret will be removed (bodies go unsigned)' },
  secretStored: { id: 'alerts.webhook.secretStored', defaultMessage: 'A secret is stored' },
  secretMustChange: { id: 'alerts.webhook.secretMustChange', defaultMessage: 'The URL changes: a stored secret never follows a new URL. Replace it or remove it.' },
  keepIt: { id: 'alerts.webhook.keepIt', defaultMessage: 'Keep it' },
  replace: { id: 'alerts.webhook.replace', defaultMessage: 'Replace' },
  remove: { id: 'alerts.webhook.remove', defaultMessage: 'Remove' },
  newUrl: { id: 'alerts.webhook.newUrl', defaultMessage: 'New URL' },
  url: { id: 'alerts.webhook.url', defaultMessage: 'URL' },
  format: { id: 'alerts.webhook.format', defaultMessage: 'Format' },
  newSecret: { id: 'alerts.webhook.newSecret', defaultMessage: 'New secret' },
  optionalSecret: { id: 'alerts.webhook.optionalSecret', defaultMessage: 'Secret (optional)' },
  secretHint: { id: 'alerts.webhook.secretHint', defaultMessage: "At least 16 characters. Bodies are then signed: X-Nexus-Signature: sha256='<HMAC>'. Never shown again." },
  keepStored: { id: 'alerts.webhook.keepStored', defaultMessage: 'Keep the stored secret' },
  // Mutes
  noMutes: { id: 'alerts.mutes.none', defaultMessage: 'No server is muted.' },
  unmute: { id: 'alerts.mutes.unmute', defaultMessage: 'Unmute' },
  unmuteFailed: { id: 'alerts.mutes.unmuteFailed', defaultMessage: 'Could not unmute' },
  chooseServer: { id: 'alerts.mutes.chooseServer', defaultMessage: 'Choose a server' },
  mutedServers: { id: 'alerts.mutes.title', defaultMessage: 'Muted servers' },
  mutedDescription: { id: 'alerts.mutes.description', defaultMessage: "A muted server's alerts go to no channel until the mute ends." },
  muteAServer: { id: 'alerts.mutes.form', defaultMessage: 'Mute a server' },
  muteFailed: { id: 'alerts.mutes.failed', defaultMessage: 'Could not mute' },
  server: { id: 'alerts.mutes.server', defaultMessage: 'Server' },
  for: { id: 'alerts.mutes.for', defaultMessage: 'For' },
  until: { id: 'alerts.mutes.until', defaultMessage: 'Until' },
  reason: { id: 'alerts.mutes.reason', defaultMessage: 'Reason (optional)' },
  mute: { id: 'alerts.mutes.mute', defaultMessage: 'Mute' },
  // Personal alerts
  personalTitle: { id: 'alerts.personal.title', defaultMessage: 'Alert e-mails' },
  personalDescription: { id: 'alerts.personal.description', defaultMessage: 'Mail sent to your own address.' },
  guestPower: { id: 'alerts.personal.guestPower', defaultMessage: 'Mail me when someone else powers a guest I can see' },
  guestPowerHint: { id: 'alerts.personal.guestPowerHint', defaultMessage: 'Start, stop, reboot and the other power actions, with who did it.' },
  signIn: { id: 'alerts.personal.signIn', defaultMessage: 'Mail me when my account signs in from a new device' },
  signInHint: { id: 'alerts.personal.signInHint', defaultMessage: 'A browser or address this account has not used before.' },
});

export const webhookPreset = defineMessage<{ preset: string }>({ id: 'alerts.type.webhookPreset', defaultMessage: 'Webhook · {preset}' });
export const failingSince = defineMessage<{ since: string; reason: string }>({ id: 'alerts.failingSince', defaultMessage: 'Failing since {since}: {reason}' });
export const testDelivered = defineMessage<{ ms: number }>({ id: 'alerts.testDelivered', defaultMessage: '✓ Test delivered in {ms} ms' });
export const testFailed = defineMessage<{ reason: string }>({ id: 'alerts.testFailed', defaultMessage: '✗ Test failed: {reason}' });
export const attempts = defineMessage<{ count: number }>({ id: 'alerts.attempts', defaultMessage: '({count, plural, one {# attempt} other {# attempts}})' });
export const couldNotTest = defineMessage<{ name: string }>({ id: 'alerts.couldNotTest', defaultMessage: 'Could not test {name}' });
export const sendTestTo = defineMessage<{ name: string }>({ id: 'alerts.sendTestTo', defaultMessage: 'Send test to {name}' });
export const editName = defineMessage<{ name: string }>({ id: 'alerts.editName', defaultMessage: 'Edit {name}' });
export const deleteName = defineMessage<{ name: string }>({ id: 'alerts.deleteName', defaultMessage: 'Delete {name}' });
export const changeName = defineMessage<{ name: string }>({ id: 'alerts.changeName', defaultMessage: 'Change {name}' });
export const urlNow = defineMessage<{ url: string }>({ id: 'alerts.webhook.urlNow', defaultMessage: 'Now {url} (shown masked). Leave empty to keep it.' });
export const mutedUntil = defineMessage<{ server: string; until: string; b: MessageTag }>({ id: 'alerts.mutes.until.line', defaultMessage: '<b>{server}</b> until {until}' });
export const unmuteName = defineMessage<{ name: string }>({ id: 'alerts.mutes.unmuteName', defaultMessage: 'Unmute {name}' });

/** The events in a sentence (the dialog) and in a word or two (the list). */
export const eventLabels = defineMessages({
  'server.offline': { id: 'alerts.event.server.offline', defaultMessage: 'Server offline (after the tenant’s window)' },
  'server.online': { id: 'alerts.event.server.online', defaultMessage: 'Server back online' },
  'server.tls_mismatch': { id: 'alerts.event.server.tls_mismatch', defaultMessage: 'Certificate changed (TLS mismatch)' },
  'server.auth_error': { id: 'alerts.event.server.auth_error', defaultMessage: 'API token refused' },
  'server.refused': { id: 'alerts.event.server.refused', defaultMessage: 'Address refused by the egress policy' },
  'vm.action': { id: 'alerts.event.vm.action', defaultMessage: 'Guest power actions, snapshots, backups' },
  'console.opened': { id: 'alerts.event.console.opened', defaultMessage: 'Console opened' },
  'member.changed': { id: 'alerts.event.member.changed', defaultMessage: 'Members changed' },
});
export const eventShort = defineMessages({
  'server.offline': { id: 'alerts.eventShort.server.offline', defaultMessage: 'Offline' },
  'server.online': { id: 'alerts.eventShort.server.online', defaultMessage: 'Back online' },
  'server.tls_mismatch': { id: 'alerts.eventShort.server.tls_mismatch', defaultMessage: 'Certificate changed' },
  'server.auth_error': { id: 'alerts.eventShort.server.auth_error', defaultMessage: 'Token refused' },
  'server.refused': { id: 'alerts.eventShort.server.refused', defaultMessage: 'Address refused' },
  'vm.action': { id: 'alerts.eventShort.vm.action', defaultMessage: 'Guest actions' },
  'console.opened': { id: 'alerts.eventShort.console.opened', defaultMessage: 'Console opened' },
  'member.changed': { id: 'alerts.eventShort.member.changed', defaultMessage: 'Members changed' },
});

/** Delivery states as the list shows them. */
export const deliveryStates = defineMessages({
  sent: { id: 'alerts.delivery.sent', defaultMessage: 'sent' },
  pending: { id: 'alerts.delivery.pending', defaultMessage: 'pending' },
  failed: { id: 'alerts.delivery.failed', defaultMessage: 'failed' },
  folded: { id: 'alerts.delivery.folded', defaultMessage: 'folded' },
  skipped: { id: 'alerts.delivery.skipped', defaultMessage: 'skipped' },
});

/** Why the channel form cannot be sent yet. */
export const problems = defineMessages({
  secretUrlChanges: { id: 'alerts.problem.secretUrlChanges', defaultMessage: 'The URL changes: enter the secret again, or remove it.' },
  secretNew: { id: 'alerts.problem.secretNew', defaultMessage: 'Enter the new secret, or keep the stored one.' },
  secretShort: { id: 'alerts.problem.secretShort', defaultMessage: 'A secret has at least 16 characters.' },
  secretLong: { id: 'alerts.problem.secretLong', defaultMessage: 'A secret has at most 200 characters.' },
  secretAscii: { id: 'alerts.problem.secretAscii', defaultMessage: 'A secret is printable ASCII without spaces.' },
  name: { id: 'alerts.problem.name', defaultMessage: 'Give the channel a name.' },
  nameLong: { id: 'alerts.problem.nameLong', defaultMessage: 'A name has at most 80 characters.' },
  events: { id: 'alerts.problem.events', defaultMessage: 'Choose at least one event.' },
  maxPerHour: { id: 'alerts.problem.maxPerHour', defaultMessage: 'The hourly limit is a whole number from 1 to 1000.' },
  clock: { id: 'alerts.problem.clock', defaultMessage: 'Quiet hours are HH:MM (24 h).' },
  sameEnds: { id: 'alerts.problem.sameEnds', defaultMessage: 'Quiet hours must start and end at different times.' },
  noAddress: { id: 'alerts.problem.noAddress', defaultMessage: 'Give at least one address.' },
  tooManyAddresses: { id: 'alerts.problem.tooManyAddresses', defaultMessage: 'At most 20 addresses.' },
  noUrl: { id: 'alerts.problem.noUrl', defaultMessage: 'Give the webhook URL.' },
  badUrl: { id: 'alerts.problem.badUrl', defaultMessage: 'The URL must be an http:// or https:// address.' },
  muteEnd: { id: 'alerts.problem.muteEnd', defaultMessage: 'Choose when the mute ends.' },
  notADate: { id: 'alerts.problem.notADate', defaultMessage: 'That is not a date and time.' },
  past: { id: 'alerts.problem.past', defaultMessage: 'The end must be in the future.' },
  tooLong: { id: 'alerts.problem.tooLong', defaultMessage: 'A mute lasts at most 30 days.' },
});
export const notATimeZone = defineMessage<{ zone: string }>({ id: 'alerts.problem.notATimeZone', defaultMessage: '“{zone}” is not a time zone (e.g. Europe/Vienna).' });
export const notAnAddress = defineMessage<{ address: string }>({ id: 'alerts.problem.notAnAddress', defaultMessage: '“{address}” is not an e-mail address.' });

export const durations = defineMessages({
  '1': { id: 'alerts.mutes.duration.1', defaultMessage: '1 hour' },
  '8': { id: 'alerts.mutes.duration.8', defaultMessage: '8 hours' },
  '24': { id: 'alerts.mutes.duration.24', defaultMessage: '24 hours' },
  '168': { id: 'alerts.mutes.duration.168', defaultMessage: '7 days' },
  custom: { id: 'alerts.mutes.duration.custom', defaultMessage: 'Until…' },
});

export const deleteChannelText = defineMessages({
  description: { id: 'alerts.deleteDescription', defaultMessage: 'It receives nothing more; messages waiting for it are dropped.' },
  confirm: { id: 'alerts.deleteChannel', defaultMessage: 'Delete channel' },
});
