// /tenants/:tenantId/explorer: browse a server's Proxmox API (tree walked live) and run requests:
// admins read and write, managers and viewers read from an allowlist; endpoints that mint
// tickets or reach inside guests are refused for everyone (common/explorer-policy.ts), and the
// refusal is shown as such. Results are rendered as a JSON tree of text.
import { type ExplorerRole, type ExplorerVerdict, explorerVerdict } from '@common/explorer-policy';
import { FolderTree, Lock, Play } from 'lucide-react';
import { type FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { JsonView } from '@/components/json-view';
import { Alert, ErrorAlert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Input, NativeSelect, Textarea } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { EmptyState, PageHeader, Skeleton, Spinner } from '@/components/ui/misc';
import { type PveMethod, usePveRequest } from '@/features/explorer/api/pve-request';
import { ApiTree } from '@/features/explorer/components/api-tree';
import { useServers } from '@/features/servers/api/get-servers';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { ApiError, isApiError } from '@/lib/api-client';

const REFUSALS = new Set(['explorer.endpoint_denied', 'explorer.not_allowed']);

/** A refusal by Nexus's explorer rules: says so plainly, not as a failed request. */
function Refusal({ title, message }: { title: string; message: string }) {
  return (
    <div
      role="alert"
      className="flex items-start gap-3 rounded-lg border border-warning/40 bg-warning/10 px-4 py-3 text-sm"
    >
      <Lock aria-hidden className="mt-0.5 size-4 shrink-0 text-warning-text" />
      <div className="min-w-0">
        <p className="font-medium">{title}</p>
        <p className="mt-0.5 break-words text-muted-foreground">{message}</p>
      </div>
    </div>
  );
}

function refusalTitle(code: string): string {
  return code === 'explorer.endpoint_denied' ? 'Nexus never relays this endpoint' : 'Not available to your role';
}

function RequestError({ error }: { error: unknown }) {
  if (isApiError(error) && REFUSALS.has(error.code)) {
    return <Refusal title={refusalTitle(error.code)} message={error.message} />;
  }
  if (isApiError(error, 'explorer.server_unverified')) {
    return <Refusal title="This server has not proven to be Proxmox yet" message={error.message} />;
  }
  return (
    <div className="grid gap-2">
      <ErrorAlert error={error} title="Request failed" />
      {error instanceof ApiError && error.details !== undefined ? <JsonView value={error.details} /> : null}
    </div>
  );
}

function parseParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const i = t.indexOf('=');
    if (i > 0) out[t.slice(0, i).trim()] = t.slice(i + 1).trim();
  }
  return out;
}

export function Component() {
  const tenant = useCurrentTenant();
  const servers = useServers(tenant.id);
  const [params, setParams] = useSearchParams();
  const serverId = params.get('server') ?? servers.data?.[0]?.id ?? '';
  const [path, setPath] = useState(params.get('path') ?? 'version');
  const [method, setMethod] = useState<PveMethod>('GET');
  const [body, setBody] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [refused, setRefused] = useState<{ verdict: ExplorerVerdict & { allowed: false }; what: string } | null>(null);
  const request = usePveRequest(tenant.id, serverId);
  const canWrite = tenant.can.explorer === 'write';
  const role: ExplorerRole = canWrite ? 'admin' : 'member';

  // A deep link (?server=…&path=…) shows its result at once; a new server starts clean otherwise.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the server changes, not on each edit
  useEffect(() => {
    const linked = params.get('path');
    setRefused(null);
    if (serverId && linked && tenant.can.explorer !== 'none') {
      send('GET', linked);
    } else {
      request.reset();
    }
  }, [serverId]);

  if (tenant.can.explorer === 'none') {
    return <EmptyState title="No access" description="Members restricted to assigned guests have no API explorer." />;
  }

  // The same rules the server applies: a refused path is not sent, and says why.
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
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (method !== 'GET') setConfirming(true);
    else run();
  };

  return (
    <>
      <PageHeader
        title="Proxmox API explorer"
        description={
          canWrite
            ? 'Read and write; writes are audited. Ticket-minting and in-guest endpoints are never relayed.'
            : 'Read-only: status, configuration, RRD data and tasks of this tenant’s servers.'
        }
        actions={
          servers.data && servers.data.length > 0 ? (
            <NativeSelect
              aria-label="Server"
              className="w-56"
              value={serverId}
              onChange={(e) =>
                setParams((prev) => {
                  const n = new URLSearchParams(prev);
                  n.set('server', e.target.value);
                  return n;
                })
              }
            >
              {servers.data.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </NativeSelect>
          ) : null
        }
      />
      {servers.isPending ? (
        <Skeleton className="h-96" />
      ) : servers.isError ? (
        <ErrorAlert error={servers.error} />
      ) : !serverId ? (
        <EmptyState icon={<FolderTree />} title="No servers" description="Add a server to explore its API." />
      ) : (
        <div className="grid gap-4 lg:grid-cols-[minmax(16rem,1fr)_2fr]">
          <Card className="max-h-[70vh] overflow-auto">
            <CardHeader className="pb-2">
              <CardTitle className="text-sm">/api2/json</CardTitle>
            </CardHeader>
            <CardContent>
              <ApiTree
                key={serverId}
                tenantId={tenant.id}
                serverId={serverId}
                role={role}
                selected={path}
                onSelect={(p) => {
                  setPath(p);
                  setMethod('GET');
                  run('GET', p);
                }}
              />
            </CardContent>
          </Card>
          <div className="grid content-start gap-4">
            <Card>
              <CardContent className="pt-5">
                <form className="grid gap-3" onSubmit={onSubmit} aria-label="Request">
                  <div className="flex flex-wrap items-end gap-2">
                    <div className="grid gap-1.5">
                      <Label htmlFor="ex-method">Method</Label>
                      <NativeSelect
                        id="ex-method"
                        className="w-28"
                        value={method}
                        onChange={(e) => setMethod(e.target.value as PveMethod)}
                      >
                        <option value="GET">GET</option>
                        {canWrite ? (
                          <>
                            <option value="POST">POST</option>
                            <option value="PUT">PUT</option>
                            <option value="DELETE">DELETE</option>
                          </>
                        ) : null}
                      </NativeSelect>
                    </div>
                    <div className="grid min-w-48 flex-1 gap-1.5">
                      <Label htmlFor="ex-path">Path</Label>
                      <div className="flex items-center rounded-md border border-input bg-card pl-3 text-sm">
                        <span className="text-muted-foreground">/api2/json/</span>
                        <Input
                          id="ex-path"
                          className="border-0 pl-0.5 shadow-none"
                          value={path}
                          onChange={(e) => setPath(e.target.value.replace(/^\/+/, ''))}
                          spellCheck={false}
                        />
                      </div>
                    </div>
                    <Button type="submit" disabled={request.isPending}>
                      {request.isPending ? <Spinner /> : <Play />} Send
                    </Button>
                  </div>
                  <div className="grid gap-1.5">
                    <Label htmlFor="ex-params">Parameters (key=value per line)</Label>
                    <Textarea
                      id="ex-params"
                      rows={3}
                      className="font-mono text-xs"
                      value={body}
                      onChange={(e) => setBody(e.target.value)}
                      placeholder="type=vm"
                    />
                  </div>
                </form>
              </CardContent>
            </Card>
            <Card>
              <CardHeader className="pb-2">
                <CardTitle className="text-sm">Result</CardTitle>
              </CardHeader>
              <CardContent>
                {refused ? (
                  <Refusal
                    title={refusalTitle(refused.verdict.code)}
                    message={`Nexus does not relay ${refused.what}. ${refused.verdict.reason}`}
                  />
                ) : request.isPending ? (
                  <Spinner />
                ) : request.isError ? (
                  <RequestError error={request.error} />
                ) : request.isSuccess ? (
                  <JsonView value={request.data} className="max-h-[55vh]" />
                ) : (
                  <Alert>Pick a path in the tree or send a request.</Alert>
                )}
              </CardContent>
            </Card>
          </div>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`${method} /api2/json/${path}?`}
        description="This changes the Proxmox server directly. The request is recorded in the audit log."
        confirmLabel={`Send ${method}`}
        onConfirm={() => {
          setConfirming(false);
          run();
        }}
      />
    </>
  );
}
