// A server's health figures and connection settings, as the server page's side card.
import { useIntl } from 'react-intl';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { TitledCard } from '@/components/ui/card';
import { Detail } from '@/components/ui/detail';
import { formatDateTime, formatMs, formatPercent, formatRelative } from '@/lib/format';
import { m } from '../messages';
import type { ProxmoxServer } from '../types';

const TLS_MODES = { pinned: m.tlsPinned, ca: m.tlsCa, insecure: m.tlsInsecure } as const;

export function TlsModeBadge({ mode }: { mode: ProxmoxServer['tlsMode'] }) {
  const t = useIntl().formatMessage;
  const label = TLS_MODES[mode];
  return <Badge variant={mode === 'insecure' ? 'warning' : 'secondary'}>{label ? t(label) : mode}</Badge>;
}

export function ServerHealthCard({ server: s }: { server: ProxmoxServer }) {
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(m.health)}>
      <dl className="grid grid-cols-[9rem_1fr] gap-y-2 text-sm">
        <Detail label={t(m.averageResponse)} className="tabular-nums">
          {formatMs(s.avgResponseTimeMs)}
        </Detail>
        <Detail label={t(m.success24h)} className="tabular-nums">
          {formatPercent(s.successRate, 1)}
        </Detail>
        <Detail label={t(m.lastCheck)}>{formatRelative(s.lastHealthCheckAt)}</Detail>
        <Detail label={t(m.tls)}>
          <TlsModeBadge mode={s.tlsMode} />
        </Detail>
        {s.tlsFingerprint ? (
          <Detail label={t(m.fingerprint)} className="font-mono text-[11px] break-all">
            {s.tlsFingerprint}
          </Detail>
        ) : null}
        <Detail label={t(m.token)} className="break-all">
          {s.tokenId ?? '–'}
        </Detail>
        <Detail label={t(m.timeout)}>{formatMs(s.connectionTimeoutMs)}</Detail>
        <Detail label={t(m.added)}>{formatDateTime(s.createdAt)}</Detail>
      </dl>
      {s.tlsMode === 'insecure' ? (
        <Alert variant="warning" className="mt-3">
          {t(m.notVerified)}
        </Alert>
      ) : null}
    </TitledCard>
  );
}
