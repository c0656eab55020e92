// A server's health figures and connection settings, as the server page's side card.
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { TitledCard } from '@/components/ui/card';
import { Detail } from '@/components/ui/detail';
import { formatDateTime, formatMs, formatPercent, formatRelative } from '@/lib/format';
import type { ProxmoxServer } from '../types';

export function TlsModeBadge({ mode }: { mode: ProxmoxServer['tlsMode'] }) {
  return <Badge variant={mode === 'insecure' ? 'warning' : 'secondary'}>{mode}</Badge>;
}

export function ServerHealthCard({ server: s }: { server: ProxmoxServer }) {
  return (
    <TitledCard title="Health">
      <dl className="grid grid-cols-[9rem_1fr] gap-y-2 text-sm">
        <Detail label="Average response" className="tabular-nums">
          {formatMs(s.avgResponseTimeMs)}
        </Detail>
        <Detail label="Success 24 h" className="tabular-nums">
          {formatPercent(s.successRate, 1)}
        </Detail>
        <Detail label="Last check">{formatRelative(s.lastHealthCheckAt)}</Detail>
        <Detail label="TLS">
          <TlsModeBadge mode={s.tlsMode} />
        </Detail>
        {s.tlsFingerprint ? (
          <Detail label="Fingerprint" className="font-mono text-[11px] break-all">
            {s.tlsFingerprint}
          </Detail>
        ) : null}
        <Detail label="Token" className="break-all">
          {s.tokenId ?? '–'}
        </Detail>
        <Detail label="Timeout">{formatMs(s.connectionTimeoutMs)}</Detail>
        <Detail label="Added">{formatDateTime(s.createdAt)}</Detail>
      </dl>
      {s.tlsMode === 'insecure' ? (
        <Alert variant="warning" className="mt-3">
          Certificates are not verified for this server.
        </Alert>
      ) : null}
    </TitledCard>
  );
}
