// One server's Proxmox API in the explorer: the tree walked live, the request form and its
// result. The same rules the server applies decide first: a refused path is not sent, and the
// page says why. A deep link (?server=…&path=…) shows its result at once.

import { type ExplorerRole, type ExplorerVerdict, explorerVerdict } from '@common/explorer-policy';
import { useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router';
import { JsonView } from '@/components/json-view';
import { Alert } from '@/components/ui/alert';
import { Card, CardContent, TitledCard } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Spinner } from '@/components/ui/misc';
import { type PveMethod, usePveRequest } from '../api/pve-request';
import { ex, notRelaying, sendMethod } from '../messages';
import { ApiTree } from './api-tree';
import { parseParams, RequestForm } from './request-form';
import { Refusal, RequestError, refusalTitle } from './request-result';

export function ApiExplorer({
  tenantId,
  serverId,
  canWrite,
}: {
  tenantId: string;
  serverId: string;
  canWrite: boolean;
}) {
  const [params, setParams] = useSearchParams();
  const [path, setPath] = useState(params.get('path') ?? 'version');
  const [method, setMethod] = useState<PveMethod>('GET');
  const [body, setBody] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [refused, setRefused] = useState<{ verdict: ExplorerVerdict & { allowed: false }; what: string } | null>(null);
  const request = usePveRequest(tenantId, serverId);
  const role: ExplorerRole = canWrite ? 'admin' : 'member';
  const t = useIntl().formatMessage;

  // A deep link shows its result at once; a new server starts clean otherwise.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the server changes, not on each edit
  useEffect(() => {
    const linked = params.get('path');
    setRefused(null);
    if (serverId && linked) {
      send('GET', linked);
    } else {
      request.reset();
    }
  }, [serverId]);

  function send(m: PveMethod, p: string) {
    const verdict = explorerVerdict(m, p, role);
    if (!verdict.allowed) {
      request.reset();
      setRefused({ verdict, what: `${m} /api2/json/${p.replace(/^\/+/, '')}` });
      return;
    }
    setRefused(null);
    request.mutate({ method: m, path: p, params: parseParams(body) });
  }

  const run = (m: PveMethod = method, p: string = path) => {
    setParams(
      (prev) => {
        const n = new URLSearchParams(prev);
        n.set('server', serverId);
        n.set('path', p);
        return n;
      },
      { replace: true },
    );
    send(m, p);
  };

  return (
    <>
      <div className="grid gap-4 lg:grid-cols-[minmax(16rem,1fr)_2fr]">
        <TitledCard
          title="/api2/json"
          className="max-h-[70vh] overflow-auto"
          headerClassName="pb-2"
          titleClassName="text-sm"
        >
          <ApiTree
            key={serverId}
            tenantId={tenantId}
            serverId={serverId}
            role={role}
            selected={path}
            onSelect={(p) => {
              setPath(p);
              setMethod('GET');
              run('GET', p);
            }}
          />
        </TitledCard>
        <div className="grid content-start gap-4">
          <Card>
            <CardContent className="pt-5">
              <RequestForm
                method={method}
                onMethod={setMethod}
                path={path}
                onPath={setPath}
                params={body}
                onParams={setBody}
                canWrite={canWrite}
                pending={request.isPending}
                onSubmit={() => (method !== 'GET' ? setConfirming(true) : run())}
              />
            </CardContent>
          </Card>
          <TitledCard title={t(ex.result)} headerClassName="pb-2" titleClassName="text-sm">
            {refused ? (
              <Refusal
                title={refusalTitle(refused.verdict.code)}
                message={t(notRelaying, { what: refused.what, reason: refused.verdict.reason })}
              />
            ) : request.isPending ? (
              <Spinner />
            ) : request.isError ? (
              <RequestError error={request.error} />
            ) : request.isSuccess ? (
              <JsonView value={request.data} className="max-h-[55vh]" />
            ) : (
              <Alert>{t(ex.pickPath)}</Alert>
            )}
          </TitledCard>
        </div>
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`${method} /api2/json/${path}?`}
        description={t(ex.writeWarning)}
        confirmLabel={t(sendMethod, { method })}
        onConfirm={() => {
          setConfirming(false);
          run();
        }}
      />
    </>
  );
}
