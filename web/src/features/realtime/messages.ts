// The live updates' texts: what a toast says when a server or a task changes (ICU messages, ids
// `realtime.*`).
import { defineMessage } from 'react-intl';
export const serverNow = defineMessage<{ name: string; status: string }>({
  id: 'realtime.serverNow',
  defaultMessage: '{name} {status, select, online {is back online} degraded {is degraded} offline {is unreachable} auth_error {refuses the API token} tls_error {presented an unexpected certificate} refused {is an address the egress policy refuses} other {has an unknown status}}',
});

export const rateDropped = defineMessage<{ name: string; rate: number }>({ id: 'realtime.rateDropped', defaultMessage: '{name}: success rate dropped to {rate}%' });

export const guestTaskFailed = defineMessage<{ vmid: number; server: string }>({ id: 'realtime.guestTaskFailed', defaultMessage: 'Guest {vmid} on {server}: task failed' });

export const taskFailed = defineMessage({ id: 'realtime.taskFailed', defaultMessage: 'A task: task failed' });
