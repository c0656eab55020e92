// The audit forwarding card's texts (ICU messages, ids `auditForwarding.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const fm = defineMessages({
  failing: { id: 'auditForwarding.failing', defaultMessage: 'failing' },
  working: { id: 'auditForwarding.working', defaultMessage: 'working' },
  title: { id: 'auditForwarding.title', defaultMessage: 'Forwarding to a SIEM' },
  description: { id: 'auditForwarding.description', defaultMessage: 'Every audit row, in order, also goes to a syslog server (RFC 5424 over TCP or TLS) and/or a signed webhook.' },
  syslog: { id: 'auditForwarding.syslog', defaultMessage: 'Syslog' },
  stopSyslog: { id: 'auditForwarding.stopSyslog', defaultMessage: 'Stop forwarding to syslog' },
  syslogServer: { id: 'auditForwarding.syslogServer', defaultMessage: 'Syslog server' },
  syslogHint: { id: 'auditForwarding.syslogHint', defaultMessage: 'tcp://host:port or tls://host:port' },
  forward: { id: 'auditForwarding.forward', defaultMessage: 'Forward' },
  webhook: { id: 'auditForwarding.webhook', defaultMessage: 'Webhook' },
  signed: { id: 'auditForwarding.signed', defaultMessage: 'signed' },
  stopWebhook: { id: 'auditForwarding.stopWebhook', defaultMessage: 'Stop forwarding to the webhook' },
  webhookUrl: { id: 'auditForwarding.webhookUrl', defaultMessage: 'Webhook URL' },
  secret: { id: 'auditForwarding.secret', defaultMessage: 'Signing secret (optional)' },
  testFailed: { id: 'auditForwarding.testFailed', defaultMessage: 'Test failed' },
  testDelivered: { id: 'auditForwarding.testDelivered', defaultMessage: 'Test line delivered' },
  sendTest: { id: 'auditForwarding.sendTest', defaultMessage: 'Send a test line' },
});

export const delivered = defineMessage<{ seq: number; at: string; behind: number }>({ id: 'auditForwarding.delivered', defaultMessage: 'last delivered row {seq}{at, select, none {} other { at {at}}}; {behind} waiting' });
