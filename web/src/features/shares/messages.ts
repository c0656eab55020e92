// The share links' texts on the guest page (ICU messages, ids `shares.*`; the public page has
// its own `share.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const sh = defineMessages({
  title: { id: 'shares.title', defaultMessage: 'Share links' },
  description: { id: 'shares.description', defaultMessage: 'Time-limited links to this console for people without an account (a vendor, a customer).' },
  shareConsole: { id: 'shares.shareConsole', defaultMessage: 'Share console' },
  loadFailed: { id: 'shares.loadFailed', defaultMessage: 'Could not load the share links' },
  none: { id: 'shares.empty', defaultMessage: 'No active share links' },
  control: { id: 'shares.control', defaultMessage: 'Control' },
  viewOnly: { id: 'shares.viewOnly', defaultMessage: 'View only' },
  locked: { id: 'shares.locked', defaultMessage: 'Locked' },
  revokeLink: { id: 'shares.revokeLink', defaultMessage: 'Revoke share link' },
  formerMember: { id: 'shares.formerMember', defaultMessage: 'a former member' },
  unknownAddress: { id: 'shares.unknownAddress', defaultMessage: 'unknown address' },
  // The dialog
  d15: { id: 'shares.duration.15', defaultMessage: '15 minutes' },
  d60: { id: 'shares.duration.60', defaultMessage: '1 hour' },
  d120: { id: 'shares.duration.120', defaultMessage: '2 hours' },
  d480: { id: 'shares.duration.480', defaultMessage: '8 hours' },
  d1440: { id: 'shares.duration.1440', defaultMessage: '1 day' },
  d10080: { id: 'shares.duration.10080', defaultMessage: '7 days' },
  watchOnly: { id: 'shares.mode.view', defaultMessage: 'Watch only' },
  useKeyboard: { id: 'shares.mode.control', defaultMessage: 'Use keyboard and mouse' },
  pinProblem: { id: 'shares.pinProblem', defaultMessage: '6 to 12 digits' },
  usesProblem: { id: 'shares.usesProblem', defaultMessage: 'A number from 1 to 1000' },
  copyNow: { id: 'shares.dialog.copyNow', defaultMessage: 'Copy the link now: Nexus keeps only a fingerprint of it.' },
  shareLink: { id: 'shares.dialog.link', defaultMessage: 'Share link' },
  qr: { id: 'shares.dialog.qr', defaultMessage: 'QR code of the share link' },
  recipientMay: { id: 'shares.dialog.recipientMay', defaultMessage: 'The recipient may' },
  for: { id: 'shares.dialog.for', defaultMessage: 'For' },
  uses: { id: 'shares.dialog.uses', defaultMessage: 'Uses (optional)' },
  usesHint: { id: 'shares.dialog.usesHint', defaultMessage: 'How many times the link may open the console; empty: no limit.' },
  pin: { id: 'shares.dialog.pin', defaultMessage: 'PIN (optional)' },
  pinHint: { id: 'shares.dialog.pinHint', defaultMessage: '6 to 12 digits the recipient must enter; 10 wrong ones lock the link.' },
  note: { id: 'shares.dialog.note', defaultMessage: 'Note (optional)' },
  noteHint: { id: 'shares.dialog.noteHint', defaultMessage: 'Who it is for; shown to your team, not to the recipient.' },
});

export const until = defineMessage<{ time: string }>({ id: 'shares.until', defaultMessage: 'until {time}' });
export const byLine = defineMessage<{ who: string; note: string; uses: number; max: string }>({ id: 'shares.byLine', defaultMessage: 'By {who}{note, select, none {} other { · {note}}} · used {max, select, none {{uses, plural, one {# time} other {# times}}} other {{uses} of {max} times}}' });
export const onItNow = defineMessage<{ addresses: string }>({ id: 'shares.onItNow', defaultMessage: 'On it now: {addresses}' });
export const createdSummary = defineMessage<{ mode: string; time: string; pin: string }>({ id: 'shares.dialog.summary', defaultMessage: '{mode, select, control {With control} other {View only}}, until {time}{pin, select, yes {; the PIN is needed too (send it another way).} other {.}}' });

export const GONE = defineMessages({
  'share.not_found': { id: 'share.gone.notFound', defaultMessage: 'This share link is invalid or has expired.' },
  'share.locked': { id: 'share.gone.locked', defaultMessage: 'This share link is locked after too many wrong PINs. Ask for a new one.' },
  'share.disabled': { id: 'share.gone.disabled', defaultMessage: 'Console sharing is switched off for this link. Ask the person who sent it.' },
});

export const sp = defineMessages({
  title: { id: 'share.title', defaultMessage: 'Shared console' },
  pin: { id: 'share.pin', defaultMessage: 'PIN' },
  pinHint: { id: 'share.pinHint', defaultMessage: 'The person who sent you the link has it.' },
  open: { id: 'share.open', defaultMessage: 'Open the console' },
  expired: { id: 'share.expired', defaultMessage: 'link expired' },
});

export const consoleOf = defineMessage<{ name: string }>({ id: 'share.consoleOf', defaultMessage: 'A console of {name}' });

export const expiresIn = defineMessage<{ left: string }>({ id: 'share.expiresIn', defaultMessage: 'link expires in {left}' });

export const daysLeft = defineMessage<{ days: number; hours: number }>({ id: 'share.left.days', defaultMessage: '{days} d {hours} h' });

export const hoursLeft = defineMessage<{ hours: number; minutes: number }>({ id: 'share.left.hours', defaultMessage: '{hours} h {minutes} min' });

export const revokeShareText = defineMessages({
  title: { id: 'shares.revokeQuestion', defaultMessage: 'Revoke this share link?' },
  description: { id: 'shares.revokeDescription', defaultMessage: 'The link stops working and anyone on the console through it is disconnected.' },
  confirm: { id: 'shares.revoke', defaultMessage: 'Revoke' },
  done: { id: 'shares.revoked', defaultMessage: 'Share link revoked' },
  failed: { id: 'shares.revokeFailed', defaultMessage: 'Could not revoke the link' },
});

export const shareDialogText = defineMessages({
  title: { id: 'shares.dialog.title', defaultMessage: 'Share this console' },
  description: { id: 'shares.dialog.description', defaultMessage: 'A link that opens this one console, without an account, until it expires or you revoke it.' },
  submit: { id: 'shares.dialog.create', defaultMessage: 'Create link' },
  pending: { id: 'shares.dialog.creating', defaultMessage: 'Creating…' },
});
