// The recordings feature's texts (ICU messages, ids `recordings.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const m = defineMessages({
  recordedBadge: { id: 'recordings.badge', defaultMessage: 'Recorded' },
  recordedTitle: { id: 'recordings.badgeTitle', defaultMessage: 'This session is recorded by your organisation' },
  emptyTitle: { id: 'recordings.emptyTitle', defaultMessage: 'No recordings' },
  emptyDescription: { id: 'recordings.emptyDescription', defaultMessage: 'With console recording on (tenant settings), each console is listed here once it ends.' },
  started: { id: 'recordings.column.started', defaultMessage: 'Started' },
  who: { id: 'recordings.column.who', defaultMessage: 'Who' },
  guest: { id: 'recordings.column.guest', defaultMessage: 'Guest' },
  length: { id: 'recordings.column.length', defaultMessage: 'Length' },
  size: { id: 'recordings.column.size', defaultMessage: 'Size' },
  interrupted: { id: 'recordings.status.interrupted', defaultMessage: 'interrupted' },
  failed: { id: 'recordings.status.failed', defaultMessage: 'failed' },
  shareLink: { id: 'recordings.shareLink', defaultMessage: 'share link' },
  nodeShell: { id: 'recordings.nodeShell', defaultMessage: 'node shell' },
  text: { id: 'recordings.kind.text', defaultMessage: 'text' },
  graphical: { id: 'recordings.kind.graphical', defaultMessage: 'graphical' },
  deleteLabel: { id: 'recordings.delete', defaultMessage: 'Delete this recording' },
  play: { id: 'recordings.play', defaultMessage: 'Play' },
  pause: { id: 'recordings.pause', defaultMessage: 'Pause' },
  speed: { id: 'recordings.speed', defaultMessage: 'Speed' },
  position: { id: 'recordings.position', defaultMessage: 'Position' },
  unplayable: { id: 'recordings.unplayable', defaultMessage: 'The recording could not be played' },
  typingAndClicks: { id: 'recordings.mark.typingAndClicks', defaultMessage: 'typing and clicks' },
  typing: { id: 'recordings.mark.typing', defaultMessage: 'typing' },
  clicks: { id: 'recordings.mark.clicks', defaultMessage: 'clicks' },
  pageAll: { id: 'recordings.pageAll', defaultMessage: 'Every recorded console of this tenant, newest first.' },
  pageOwn: { id: 'recordings.pageOwn', defaultMessage: 'Your recorded consoles, newest first.' },
  someone: { id: 'recordings.someone', defaultMessage: 'Someone' },
  notFoundTitle: { id: 'recordings.notFoundTitle', defaultMessage: 'No such recording' },
  notFoundDescription: { id: 'recordings.notFoundDescription', defaultMessage: 'It may have been deleted.' },
});

export const playerPage = defineMessages({
  title: { id: 'recordings.playerTitle', defaultMessage: 'Recording' },
});

export const recordingsPage = defineMessages({
  title: { id: 'recordings.pageTitle', defaultMessage: 'Recordings' },
});

export const markAt = defineMessage<{ time: string; what: string }>({ id: 'recordings.markAt', defaultMessage: '{time}: {what}' });
export const inputAt = defineMessage<{ time: string }>({ id: 'recordings.inputAt', defaultMessage: 'Input at {time}' });
export const eventAt = defineMessage<{ time: string; what: string }>({ id: 'recordings.eventAt', defaultMessage: '{what} at {time}' });
export const playerDescription = defineMessage<{ who: string; where: string; when: string }>({ id: 'recordings.playerDescription', defaultMessage: '{who} on {where}, {when}' });
export const guestName = defineMessage<{ vmid: number }>({ id: 'recordings.guestName', defaultMessage: 'guest {vmid}' });

export const deleteRecordingText = defineMessages({
  title: { id: 'recordings.deleteTitle', defaultMessage: 'Delete this recording?' },
  description: { id: 'recordings.deleteDescription', defaultMessage: 'The recording and its file are removed for good; the audit log keeps that it existed.' },
  confirm: { id: 'recordings.deleteConfirm', defaultMessage: 'Delete' },
  done: { id: 'recordings.deleted', defaultMessage: 'Recording deleted' },
  failed: { id: 'recordings.deleteFailed', defaultMessage: 'Could not delete the recording' },
});
