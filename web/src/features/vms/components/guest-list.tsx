// The tenant's guests as a table or as cards, with search, filters (server, status, tag, type)
// and sorting. Names, tags and nodes come from Proxmox and are rendered as text only.
import type { Tenant } from '@common/schemas/tenants';
import { ArrowUpDown, LayoutGrid, List, Tag } from 'lucide-react';
import { type ReactNode, useMemo } from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { ListTable } from '@/components/list-table';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Checkbox } from '@/components/ui/checkbox';
import { type Choice, ChoiceSelect, SearchInput } from '@/components/ui/input';
import { EmptyState, Meter } from '@/components/ui/misc';
import { StatusDot, statusLabel } from '@/components/ui/status-dot';
import { TableCell } from '@/components/ui/table';
import { formatBytes, formatUptime, ratio } from '@/lib/format';
import { cn } from '@/lib/utils';
import { guestKey } from '../api/get-vms';
import {
  applyGuestFilters,
  type GuestFilters,
  type SortKey,
  useGuestFilters,
  type ViewMode,
} from '../hooks/use-guest-filters';
import { guestCount, selectGuest, upFor, vm } from '../messages';
import type { Guest } from '../types';
import { BulkBar, useBulkSelection } from './bulk-actions';
import { ConsoleLink } from './console-link';
import { GuestActions, guestLabel } from './guest-actions';
import { cpuDetail, GuestMeters } from './guest-meters';

interface ServerRef {
  id: string;
  name: string;
}

type VmMessage = (typeof vm)[keyof typeof vm];

const TYPES: { value: string; label: VmMessage }[] = [
  { value: '', label: vm.allTypes },
  { value: 'qemu', label: vm.qemu },
  { value: 'lxc', label: vm.lxc },
];

const SORTS: { value: SortKey; label: VmMessage }[] = [
  { value: 'name', label: vm.sortName },
  { value: 'vmid', label: vm.sortVmid },
  { value: 'status', label: vm.sortStatus },
  { value: 'cpu', label: vm.sortCpu },
  { value: 'mem', label: vm.sortMem },
  { value: 'server', label: vm.sortServer },
];

const VIEWS: { value: ViewMode; label: VmMessage; icon: ReactNode }[] = [
  { value: 'table', label: vm.tableView, icon: <List /> },
  { value: 'cards', label: vm.cardView, icon: <LayoutGrid /> },
];

/** One of the list's filters: a compact select named for screen readers. */
function FilterSelect<T extends string>({
  label,
  ...props
}: {
  label: string;
  value: T;
  choices: readonly Choice<T>[];
  onValueChange(v: T): void;
}) {
  return <ChoiceSelect aria-label={label} className="w-auto" {...props} />;
}

function Filters({
  filters,
  set,
  servers,
  tags,
  statuses,
}: {
  filters: GuestFilters;
  set(p: Partial<GuestFilters>): void;
  servers: ServerRef[];
  tags: string[];
  statuses: string[];
}) {
  const t = useIntl().formatMessage;
  const choices = <T extends string>(list: { value: T; label: VmMessage }[]): Choice<T>[] =>
    list.map((c) => ({ value: c.value, label: t(c.label) }));
  return (
    <div className="flex flex-wrap items-center gap-2">
      <SearchInput
        className="min-w-48 flex-1"
        aria-label={t(vm.search)}
        placeholder={t(vm.searchPlaceholder)}
        value={filters.q}
        onChange={(e) => set({ q: e.target.value })}
      />
      {servers.length > 1 ? (
        <FilterSelect
          label={t(vm.byServer)}
          value={filters.server}
          onValueChange={(server) => set({ server })}
          choices={[{ value: '', label: t(vm.allServers) }, ...servers.map((s) => ({ value: s.id, label: s.name }))]}
        />
      ) : null}
      <FilterSelect
        label={t(vm.byStatus)}
        value={filters.status}
        onValueChange={(status) => set({ status })}
        choices={[{ value: '', label: t(vm.anyStatus) }, ...statuses.map((s) => ({ value: s, label: statusLabel(s) }))]}
      />
      <FilterSelect
        label={t(vm.byType)}
        value={filters.type}
        onValueChange={(type) => set({ type })}
        choices={choices(TYPES)}
      />
      {tags.length > 0 ? (
        <FilterSelect
          label={t(vm.byTag)}
          value={filters.tag}
          onValueChange={(tag) => set({ tag })}
          choices={[{ value: '', label: t(vm.anyTag) }, ...tags.map((tag) => ({ value: tag, label: tag }))]}
        />
      ) : null}
      <FilterSelect
        label={t(vm.sortBy)}
        value={filters.sort}
        onValueChange={(sort) => set({ sort })}
        choices={choices(SORTS)}
      />
      <Button
        variant="outline"
        size="icon"
        aria-label={t(filters.dir === 'asc' ? vm.ascending : vm.descending)}
        onClick={() => set({ dir: filters.dir === 'asc' ? 'desc' : 'asc' })}
      >
        <ArrowUpDown className={cn(filters.dir === 'desc' && 'rotate-180')} />
      </Button>
      <fieldset className="flex rounded-md border">
        <legend className="sr-only">{t(vm.view)}</legend>
        {VIEWS.map((v) => (
          <Button
            key={v.value}
            variant={filters.view === v.value ? 'secondary' : 'ghost'}
            size="icon"
            aria-label={t(v.label)}
            aria-pressed={filters.view === v.value}
            onClick={() => set({ view: v.value })}
          >
            {v.icon}
          </Button>
        ))}
      </fieldset>
    </div>
  );
}

function GuestStatus({ status }: { status: string }) {
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap" data-testid="guest-status">
      <StatusDot status={status} />
      {statusLabel(status)}
    </span>
  );
}

function Tags({ tags }: { tags: string[] }) {
  if (tags.length === 0) return null;
  return (
    <span className="flex flex-wrap gap-1">
      {tags.map((t) => (
        <Badge key={t} variant="secondary">
          <Tag aria-hidden />
          {t}
        </Badge>
      ))}
    </span>
  );
}

/** The guest's name, linking to its page. */
function GuestLink({ tenantId, guest: g }: { tenantId: string; guest: Guest }) {
  const t = useIntl().formatMessage;
  return (
    <Link
      to={`/tenants/${tenantId}/servers/${g.serverId}/vms/${g.vmid}`}
      className="block truncate font-medium hover:underline"
    >
      {guestLabel(g, t)}
    </Link>
  );
}

/** Power actions (where allowed) and the console button of one guest. */
function GuestControls({ tenantId, guest: g, className }: { tenantId: string; guest: Guest; className: string }) {
  return (
    <div className={className}>
      {g.can.power ? <GuestActions tenantId={tenantId} guest={g} compact /> : null}
      <ConsoleLink
        tenantId={tenantId}
        serverId={g.serverId}
        vmid={g.vmid}
        abilities={g.can}
        running={g.status === 'running'}
      />
    </div>
  );
}

export function GuestList({
  tenant,
  guests,
  servers,
  fixedServerId,
}: {
  tenant: Tenant;
  guests: Guest[];
  servers: ServerRef[];
  /** On a server's page: no server filter, no server column. */
  fixedServerId?: string;
}) {
  const { filters, set } = useGuestFilters();
  const effective = fixedServerId ? { ...filters, server: fixedServerId } : filters;
  const nameOf = useMemo(() => {
    const m = new Map(servers.map((s) => [s.id, s.name]));
    return (id: string) => m.get(id) ?? '?';
  }, [servers]);
  const tags = useMemo(() => [...new Set(guests.flatMap((g) => g.tags))].sort(), [guests]);
  const statuses = useMemo(() => [...new Set(guests.map((g) => g.status))].sort(), [guests]);
  const shown = applyGuestFilters(guests, effective, nameOf);
  const selection = useBulkSelection(shown);
  const bulk = shown.some((g) => g.can.power);
  const t = useIntl().formatMessage;

  return (
    <div className="grid gap-4">
      <Filters filters={filters} set={set} servers={fixedServerId ? [] : servers} tags={tags} statuses={statuses} />
      <BulkBar tenantId={tenant.id} guests={shown} selection={selection} />
      <p className="text-xs text-muted-foreground" aria-live="polite">
        {t(guestCount, {
          shown: shown.length === guests.length ? 'all' : shown.length,
          total: guests.length,
        })}
      </p>
      {shown.length === 0 ? (
        <EmptyState
          title={t(guests.length === 0 ? vm.noGuests : vm.noMatch)}
          description={t(guests.length === 0 ? vm.noGuestsHint : vm.noMatchHint)}
        />
      ) : filters.view === 'cards' ? (
        <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
          {shown.map((g) => (
            <Card
              key={guestKey(g.serverId, g.vmid)}
              className="flex flex-col gap-3 p-4"
              data-testid="guest-card"
              aria-label={guestLabel(g, t)}
              role="group"
            >
              <div className="flex items-start justify-between gap-2">
                <div className="min-w-0">
                  <GuestLink tenantId={tenant.id} guest={g} />
                  <p className="truncate text-xs text-muted-foreground">
                    {g.vmid} · {t(g.type === 'qemu' ? vm.vmShort : vm.ctShort)} · {nameOf(g.serverId)} / {g.node}
                  </p>
                </div>
                <GuestStatus status={g.status} />
              </div>
              <Tags tags={g.tags} />
              <div className="grid gap-2">
                <GuestMeters guest={g} />
              </div>
              <div className="mt-auto flex items-center justify-between gap-2 pt-1">
                <span className="text-xs text-muted-foreground">{t(upFor, { time: formatUptime(g.uptime) })}</span>
                <GuestControls tenantId={tenant.id} guest={g} className="flex items-center gap-1" />
              </div>
            </Card>
          ))}
        </div>
      ) : (
        <Card className="overflow-hidden">
          <ListTable
            columns={[
              bulk && {
                label: (
                  <Checkbox
                    aria-label={t(vm.selectAll)}
                    checked={selection.allChecked}
                    onCheckedChange={selection.toggleAll}
                  />
                ),
                className: 'w-8',
              },
              t(vm.name),
              t(vm.status),
              !fixedServerId && t(vm.serverNode),
              { label: t(vm.cpu), className: 'min-w-32' },
              { label: t(vm.memory), className: 'min-w-32' },
              { label: t(vm.disk), className: 'hidden min-w-32 xl:table-cell' },
              { label: t(vm.uptime), className: 'hidden md:table-cell' },
            ]}
            actions="text-right"
            items={shown}
            rowKey={(g) => guestKey(g.serverId, g.vmid)}
            rowProps={(g) => ({ 'data-testid': 'guest-row', 'data-vmid': g.vmid, 'data-status': g.status })}
          >
            {(g) => (
              <>
                {bulk ? (
                  <TableCell>
                    {g.can.power ? (
                      <Checkbox
                        aria-label={t(selectGuest, { name: guestLabel(g, t) })}
                        checked={selection.selected.has(guestKey(g.serverId, g.vmid))}
                        onClick={(e) => {
                          e.preventDefault();
                          selection.toggle(g, e.shiftKey);
                        }}
                      />
                    ) : null}
                  </TableCell>
                ) : null}
                <TableCell className="max-w-64">
                  <GuestLink tenantId={tenant.id} guest={g} />
                  <span className="flex flex-wrap items-center gap-1 text-xs text-muted-foreground">
                    {g.vmid} · {t(g.type === 'qemu' ? vm.vmShort : vm.ctShort)}
                    {g.template ? ` · ${t(vm.template)}` : ''}
                    <Tags tags={g.tags} />
                  </span>
                </TableCell>
                <TableCell>
                  <GuestStatus status={g.status} />
                </TableCell>
                {fixedServerId ? null : (
                  <TableCell className="max-w-48 truncate text-muted-foreground">
                    {nameOf(g.serverId)} / {g.node}
                  </TableCell>
                )}
                <TableCell>
                  <Meter label={t(vm.cpu)} hideLabel value={g.cpu ?? null} detail={cpuDetail(g, t)} />
                </TableCell>
                <TableCell>
                  <Meter label={t(vm.memory)} hideLabel value={ratio(g.mem, g.maxmem)} detail={formatBytes(g.mem)} />
                </TableCell>
                <TableCell className="hidden xl:table-cell">
                  <Meter label={t(vm.disk)} hideLabel value={ratio(g.disk, g.maxdisk)} detail={formatBytes(g.disk)} />
                </TableCell>
                <TableCell className="hidden whitespace-nowrap text-muted-foreground md:table-cell">
                  {formatUptime(g.uptime)}
                </TableCell>
                <TableCell>
                  <GuestControls tenantId={tenant.id} guest={g} className="flex items-center justify-end gap-1" />
                </TableCell>
              </>
            )}
          </ListTable>
        </Card>
      )}
    </div>
  );
}
