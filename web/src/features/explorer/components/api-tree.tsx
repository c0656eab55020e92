// The Proxmox API tree, walked live from the server's own index endpoints (like `pvesh ls`):
// expanding a path GETs it and turns the listed items into child paths. Paths the explorer will
// not relay to the caller (common/explorer-policy.ts) show a lock and are not fetched.

import { type ExplorerRole, explorerVerdict } from '@common/explorer-policy';
import { ChevronDown, ChevronRight, Folder, FolderOpen, Lock } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { Spinner } from '@/components/ui/misc';
import { errorMessage } from '@/lib/api-client';
import { cn } from '@/lib/utils';
import { usePveGet } from '../api/pve-request';
import { collapse, ex, expand } from '../messages';

/** Keys that name a child in an index or collection listing, most specific first. */
const CHILD_KEYS = [
  'subdir',
  'name',
  'node',
  'vmid',
  'storage',
  'userid',
  'groupid',
  'roleid',
  'poolid',
  'realm',
  'iface',
  'volid',
  'upid',
  'id',
];

export function unwrap(body: unknown): unknown {
  return body && typeof body === 'object' && !Array.isArray(body) && 'data' in body
    ? (body as { data: unknown }).data
    : body;
}

export function childNames(data: unknown): string[] {
  if (!Array.isArray(data)) return [];
  const names: string[] = [];
  for (const item of data) {
    if (!item || typeof item !== 'object') continue;
    const rec = item as Record<string, unknown>;
    const key = CHILD_KEYS.find((k) => typeof rec[k] === 'string' || typeof rec[k] === 'number');
    // A listing whose items carry none of the keys (e.g. /cluster/resources) is data, not a directory.
    if (!key) return [];
    const v = String(rec[key]);
    if (v && !v.includes('/') && !names.includes(v)) names.push(v);
  }
  return names.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

function TreeNode({
  tenantId,
  serverId,
  role,
  path,
  label,
  depth,
  selected,
  onSelect,
}: {
  tenantId: string;
  serverId: string;
  role: ExplorerRole;
  path: string;
  label: string;
  depth: number;
  selected: string;
  onSelect(path: string): void;
}) {
  const [open, setOpen] = useState(depth === 0);
  const verdict = explorerVerdict('GET', path, role);
  const query = usePveGet(tenantId, serverId, path, open && verdict.allowed);
  const children = query.data ? childNames(unwrap(query.data)) : [];
  const isSelected = selected === path;
  const t = useIntl().formatMessage;
  return (
    <li>
      <div
        className={cn('flex items-center gap-1 rounded-md pr-2 text-sm', isSelected && 'bg-brand/10 text-brand-text')}
        style={{ paddingLeft: depth * 12 }}
      >
        <button
          type="button"
          className="rounded-sm p-0.5 hover:bg-accent"
          aria-label={open ? t(collapse, { label }) : t(expand, { label })}
          onClick={() => setOpen(!open)}
        >
          {open ? <ChevronDown className="size-4" /> : <ChevronRight className="size-4" />}
        </button>
        <button
          type="button"
          className="flex min-w-0 flex-1 items-center gap-1.5 py-1 text-left hover:underline"
          aria-current={isSelected ? 'true' : undefined}
          onClick={() => {
            onSelect(path);
            setOpen(true);
          }}
        >
          {!verdict.allowed ? (
            <Lock aria-hidden className="size-4 shrink-0 text-muted-foreground" />
          ) : open ? (
            <FolderOpen className="size-4 shrink-0 text-muted-foreground" />
          ) : (
            <Folder className="size-4 shrink-0 text-muted-foreground" />
          )}
          <span className={cn('truncate font-mono text-xs', !verdict.allowed && 'text-muted-foreground')}>{label}</span>
          {!verdict.allowed ? <span className="sr-only">{t(ex.notRelayedShort)}</span> : null}
        </button>
        {open && query.isFetching ? <Spinner className="size-3" /> : null}
      </div>
      {open ? (
        !verdict.allowed ? (
          <p className="py-1 text-xs text-muted-foreground" style={{ paddingLeft: depth * 12 + 28 }}>
            {t(ex.notRelayed)}
          </p>
        ) : query.isError ? (
          <p className="py-1 text-xs text-destructive-text" style={{ paddingLeft: depth * 12 + 28 }}>
            {errorMessage(query.error)}
          </p>
        ) : children.length > 0 ? (
          <ul>
            {children.map((c) => (
              <TreeNode
                key={c}
                tenantId={tenantId}
                serverId={serverId}
                role={role}
                path={path ? `${path}/${c}` : c}
                label={c}
                depth={depth + 1}
                selected={selected}
                onSelect={onSelect}
              />
            ))}
          </ul>
        ) : query.isSuccess ? (
          <p className="py-1 text-xs text-muted-foreground" style={{ paddingLeft: depth * 12 + 28 }}>
            {t(ex.noSubPaths)}
          </p>
        ) : null
      ) : null}
    </li>
  );
}

export function ApiTree({
  tenantId,
  serverId,
  role,
  selected,
  onSelect,
}: {
  tenantId: string;
  serverId: string;
  role: ExplorerRole;
  selected: string;
  onSelect(path: string): void;
}) {
  const t = useIntl().formatMessage;
  return (
    <ul aria-label={t(ex.paths)} className="grid gap-0.5">
      <TreeNode
        tenantId={tenantId}
        serverId={serverId}
        role={role}
        path=""
        label="/"
        depth={0}
        selected={selected}
        onSelect={onSelect}
      />
    </ul>
  );
}
