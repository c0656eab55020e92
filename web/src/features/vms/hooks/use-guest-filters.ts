// Search, filters, sorting and view mode of the guest list, kept in the URL so they survive a
// reload and can be shared.
import { useSearchParams } from 'react-router';
import type { Guest } from '../types';

export type SortKey = 'name' | 'vmid' | 'status' | 'cpu' | 'mem' | 'server';
export type ViewMode = 'table' | 'cards';

export interface GuestFilters {
  q: string;
  server: string;
  status: string;
  tag: string;
  type: string;
  sort: SortKey;
  dir: 'asc' | 'desc';
  view: ViewMode;
}

const SORTS: SortKey[] = ['name', 'vmid', 'status', 'cpu', 'mem', 'server'];

export function useGuestFilters() {
  const [params, setParams] = useSearchParams();
  const filters: GuestFilters = {
    q: params.get('q') ?? '',
    server: params.get('server') ?? '',
    status: params.get('status') ?? '',
    tag: params.get('tag') ?? '',
    type: params.get('type') ?? '',
    sort: (SORTS as string[]).includes(params.get('sort') ?? '') ? (params.get('sort') as SortKey) : 'name',
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
    view: params.get('view') === 'cards' ? 'cards' : 'table',
  };
  const set = (patch: Partial<GuestFilters>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (
            v === '' ||
            v === undefined ||
            (k === 'sort' && v === 'name') ||
            (k === 'dir' && v === 'asc') ||
            (k === 'view' && v === 'table')
          )
            next.delete(k);
          else next.set(k, String(v));
        }
        return next;
      },
      { replace: true },
    );
  return { filters, set };
}

function statusRank(s: string): number {
  return s === 'running' ? 0 : s === 'paused' || s === 'suspended' ? 1 : s === 'stopped' ? 2 : 3;
}

export function applyGuestFilters(guests: Guest[], f: GuestFilters, serverName: (id: string) => string): Guest[] {
  const q = f.q.trim().toLowerCase();
  const out = guests.filter((g) => {
    if (f.server && g.serverId !== f.server) return false;
    if (f.status && g.status !== f.status) return false;
    if (f.type && g.type !== f.type) return false;
    if (f.tag && !g.tags.includes(f.tag)) return false;
    if (q) {
      const hay = `${g.name ?? ''} ${g.vmid} ${g.node} ${g.tags.join(' ')} ${serverName(g.serverId)}`.toLowerCase();
      if (!hay.includes(q)) return false;
    }
    return true;
  });
  const dir = f.dir === 'desc' ? -1 : 1;
  const ratioOf = (u: number | null, m: number | null) => (u != null && m ? u / m : -1);
  out.sort((a, b) => {
    let c = 0;
    switch (f.sort) {
      case 'vmid':
        c = a.vmid - b.vmid;
        break;
      case 'status':
        c = statusRank(a.status) - statusRank(b.status);
        break;
      case 'cpu':
        c = (a.cpu ?? -1) - (b.cpu ?? -1);
        break;
      case 'mem':
        c = ratioOf(a.mem, a.maxmem) - ratioOf(b.mem, b.maxmem);
        break;
      case 'server':
        c = serverName(a.serverId).localeCompare(serverName(b.serverId));
        break;
      default:
        c = (a.name ?? '').localeCompare(b.name ?? '', undefined, { numeric: true });
    }
    return c !== 0 ? c * dir : a.vmid - b.vmid;
  });
  return out;
}
