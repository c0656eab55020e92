// What a connectivity test found: version, latency, certificate and the token's rights, with
// the diagnosis said plainly ("privilege-separated token without ACLs").
import { CircleCheck, CircleX } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { statusLabel } from '@/components/ui/status-dot';
import { formatMs } from '@/lib/format';
import type { TestResult } from '../types';

const RIGHTS: Array<[keyof NonNullable<TestResult['permissions']>, string]> = [
  ['listGuests', 'List guests (VM.Audit)'],
  ['power', 'Power actions (VM.PowerMgmt)'],
  ['console', 'Console (VM.Console)'],
  ['nodeAudit', 'Node figures (Sys.Audit)'],
  ['nodeShell', 'Node shells (Sys.Console on /nodes)'],
];

export function TestResultPanel({ result }: { result: TestResult }) {
  return (
    <div className="grid gap-3" data-testid="test-result">
      <Alert
        variant={result.ok ? 'info' : 'destructive'}
        title={result.ok ? 'Connection works' : `Connection failed: ${statusLabel(result.status)}`}
      >
        {result.error?.message ??
          (result.version ? `Proxmox VE ${result.version}${result.release ? ` (${result.release})` : ''}` : null)}
      </Alert>
      <dl className="grid gap-1 text-sm sm:grid-cols-[10rem_1fr]">
        {result.latencyMs != null ? (
          <>
            <dt className="text-muted-foreground">Latency</dt>
            <dd>{formatMs(result.latencyMs)}</dd>
          </>
        ) : null}
        {result.guestsVisible != null ? (
          <>
            <dt className="text-muted-foreground">Guests visible</dt>
            <dd>{result.guestsVisible}</dd>
          </>
        ) : null}
        {result.fingerprint ? (
          <>
            <dt className="text-muted-foreground">Certificate</dt>
            <dd className="font-mono text-xs break-all">
              {result.fingerprint}
              {result.pinMatches === true
                ? ' (matches the pin)'
                : result.pinMatches === false
                  ? ' (does NOT match the pin)'
                  : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {result.permissions ? (
        <ul className="grid gap-1 text-sm sm:grid-cols-2" aria-label="Token permissions">
          {RIGHTS.map(([k, label]) => {
            const v = result.permissions?.[k] ?? false;
            return (
              <li key={k} className="flex items-center gap-2">
                {v ? (
                  <CircleCheck className="size-4 text-success-text" aria-hidden />
                ) : (
                  <CircleX className="size-4 text-destructive-text" aria-hidden />
                )}
                <span>{label}</span>
                <span className="sr-only">{v ? 'allowed' : 'missing'}</span>
              </li>
            );
          })}
        </ul>
      ) : null}
      {result.diagnosis.length ? (
        <ul className="list-disc pl-5 text-sm" aria-label="Diagnosis">
          {result.diagnosis.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
