// What a connectivity test found: version, latency, certificate and the token's rights, with
// the diagnosis said plainly ("privilege-separated token without ACLs").
import { CircleCheck, CircleX } from 'lucide-react';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { Alert } from '@/components/ui/alert';
import { statusLabel } from '@/components/ui/status-dot';
import { formatMs } from '@/lib/format';
import { connectionFailed, m, pinMatches, pinMismatch, proxmoxVersion, proxmoxVersionRelease } from '../messages';
import type { TestResult } from '../types';

const RIGHTS: Array<[keyof NonNullable<TestResult['permissions']>, MessageDescriptor]> = [
  ['listGuests', m.rightListGuests],
  ['power', m.rightPower],
  ['console', m.rightConsole],
  ['nodeAudit', m.rightNodeAudit],
  ['nodeShell', m.rightNodeShell],
];

export function TestResultPanel({ result }: { result: TestResult }) {
  const t = useIntl().formatMessage;
  return (
    <div className="grid gap-3" data-testid="test-result">
      <Alert
        variant={result.ok ? 'info' : 'destructive'}
        title={result.ok ? t(m.connectionWorks) : t(connectionFailed, { status: statusLabel(result.status) })}
      >
        {result.error?.message ??
          (result.version
            ? result.release
              ? t(proxmoxVersionRelease, { version: result.version, release: result.release })
              : t(proxmoxVersion, { version: result.version })
            : null)}
      </Alert>
      <dl className="grid gap-1 text-sm sm:grid-cols-[10rem_1fr]">
        {result.latencyMs != null ? (
          <>
            <dt className="text-muted-foreground">{t(m.latency)}</dt>
            <dd>{formatMs(result.latencyMs)}</dd>
          </>
        ) : null}
        {result.guestsVisible != null ? (
          <>
            <dt className="text-muted-foreground">{t(m.guestsVisible)}</dt>
            <dd>{result.guestsVisible}</dd>
          </>
        ) : null}
        {result.fingerprint ? (
          <>
            <dt className="text-muted-foreground">{t(m.certificate)}</dt>
            <dd className="font-mono text-xs break-all">
              {result.pinMatches === true
                ? t(pinMatches, { fingerprint: result.fingerprint })
                : result.pinMatches === false
                  ? t(pinMismatch, { fingerprint: result.fingerprint })
                  : result.fingerprint}
            </dd>
          </>
        ) : null}
      </dl>
      {result.permissions ? (
        <ul className="grid gap-1 text-sm sm:grid-cols-2" aria-label={t(m.tokenPermissions)}>
          {RIGHTS.map(([k, label]) => {
            const v = result.permissions?.[k] ?? false;
            return (
              <li key={k} className="flex items-center gap-2">
                {v ? (
                  <CircleCheck className="size-4 text-success-text" aria-hidden />
                ) : (
                  <CircleX className="size-4 text-destructive-text" aria-hidden />
                )}
                <span>{t(label)}</span>
                <span className="sr-only">{t(v ? m.allowed : m.missing)}</span>
              </li>
            );
          })}
        </ul>
      ) : null}
      {result.diagnosis.length ? (
        <ul className="list-disc pl-5 text-sm" aria-label={t(m.diagnosis)}>
          {result.diagnosis.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
