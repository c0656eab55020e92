// The monitoring feature's texts (ICU messages, ids `monitoring.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const mo = defineMessages({
  title: { id: 'monitoring.title', defaultMessage: 'Monitoring' },
  description: { id: 'monitoring.description', defaultMessage: 'Health of every server over the last 24 hours.' },
  unavailable: { id: 'monitoring.unavailable', defaultMessage: 'Server monitoring is not available on this Nexus version yet.' },
  nothing: { id: 'monitoring.empty', defaultMessage: 'Nothing to monitor' },
  nothingHint: { id: 'monitoring.emptyHint', defaultMessage: 'Add servers to see their health here.' },
  someFailed: { id: 'monitoring.someFailed', defaultMessage: 'Some metrics could not be loaded' },
  avgResponse: { id: 'monitoring.avgResponse', defaultMessage: 'Average response time' },
  successRate: { id: 'monitoring.successRate', defaultMessage: 'Success rate' },
  perServer: { id: 'monitoring.perServer', defaultMessage: 'Per server' },
  rollingAverage: { id: 'monitoring.rollingAverage', defaultMessage: 'Rolling average of the latest health checks' },
  successChart: { id: 'monitoring.chart.successRate', defaultMessage: 'Success rate of every server' },
  responseChart: { id: 'monitoring.chart.responseTime', defaultMessage: 'Response time of every server' },
  live: { id: 'monitoring.live', defaultMessage: 'Live' },
  connecting: { id: 'monitoring.connecting', defaultMessage: 'Connecting…' },
  polling: { id: 'monitoring.polling', defaultMessage: 'Offline – polling' },
});

export const now = defineMessage<{ time: string }>({ id: 'monitoring.now', defaultMessage: 'now {time}' });
export const answered = defineMessage<{ rate: string }>({ id: 'monitoring.answered', defaultMessage: '{rate} of checks answered (24 h) · chart: hourly average and p95' });
