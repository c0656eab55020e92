// The signed-in frame: a sidebar (a drawer on phones) with the tenant's and the global pages,
// and a header with the tenant switcher, live-stream state, notifications, theme and user menu.
import {
  Activity,
  BellRing,
  Building,
  ChevronDown,
  Film,
  FolderTree,
  KeyRound,
  LayoutDashboard,
  LogOut,
  Menu,
  ScrollText,
  Server,
  Settings,
  Shield,
  ShieldCheck,
  UserRound,
  Users,
} from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { useIntl } from 'react-intl';
import { Link, NavLink, Outlet, useMatch, useNavigate } from 'react-router';
import { ThemeToggle } from '@/components/theme-toggle';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Sheet, SheetContent, SheetTitle } from '@/components/ui/sheet';
import { useMeData } from '@/features/auth/api/get-me';
import { useLogout } from '@/features/auth/api/logout';
import { NotificationCenter } from '@/features/notifications/components/notification-center';
import { useTenant, useTenantSettings } from '@/features/tenants/api/get-tenant';
import { useTenants } from '@/features/tenants/api/get-tenants';
import { canSeeMembers } from '@/features/tenants/hooks/use-current-tenant';
import { useProfileLocale } from '@/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { accountMenu, shm, tenantLabel } from '../messages';
import { loginPathFor } from './require-auth';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  end?: boolean;
}

function NavSection({ title, items, onNavigate }: { title: string; items: NavItem[]; onNavigate?: () => void }) {
  if (items.length === 0) return null;
  return (
    <div className="grid gap-0.5">
      <p className="px-3 pt-4 pb-1 text-[11px] font-semibold tracking-wider text-muted-foreground uppercase">{title}</p>
      {items.map((item) => (
        <NavLink
          key={item.to}
          to={item.to}
          end={item.end}
          onClick={onNavigate}
          className={({ isActive }) =>
            cn(
              'flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-foreground [&_svg]:size-4',
              isActive && 'bg-brand/10 text-brand-text hover:bg-brand/15 hover:text-brand-text',
            )
          }
        >
          {item.icon}
          {item.label}
        </NavLink>
      ))}
    </div>
  );
}

function useTenantMatch(): string | null {
  return useMatch('/tenants/:tenantId/*')?.params.tenantId ?? null;
}

function Brand({ tenantId }: { tenantId: string | null }) {
  const settings = useTenantSettings(tenantId ?? '');
  const tenant = useTenant(tenantId ?? '');
  const logo = tenantId ? (settings.data?.branding.logoUrl ?? tenant.data?.logoUrl ?? null) : null;
  return (
    <Link to={tenantId ? `/tenants/${tenantId}` : '/'} className="flex items-center gap-2.5 px-3 py-4">
      {logo ? (
        <img src={logo} alt="" className="size-8 rounded-md object-contain" referrerPolicy="no-referrer" />
      ) : (
        <span className="flex size-8 items-center justify-center rounded-md bg-brand text-sm font-bold text-brand-foreground">
          N
        </span>
      )}
      <span className="min-w-0">
        <span className="block text-sm leading-tight font-semibold">Nexus</span>
        <span className="block truncate text-xs text-muted-foreground">
          {tenantId && tenant.data ? tenant.data.name : 'Proxmox VE broker'}
        </span>
      </span>
    </Link>
  );
}

function SidebarNav({ onNavigate }: { onNavigate?: () => void }) {
  const me = useMeData();
  const t = useIntl().formatMessage;
  const tenantId = useTenantMatch();
  const tenant = useTenant(tenantId ?? '');
  const current = tenantId && tenant.data ? tenant.data : null;
  const base = tenantId ? `/tenants/${tenantId}` : '';

  const tenantItems: NavItem[] = current
    ? [
        { to: base, label: t(shm.dashboard), icon: <LayoutDashboard />, end: true },
        { to: `${base}/servers`, label: t(shm.servers), icon: <Server /> },
        { to: `${base}/monitoring`, label: t(shm.monitoring), icon: <Activity /> },
        ...(current.can.explorer !== 'none'
          ? [{ to: `${base}/explorer`, label: t(shm.explorer), icon: <FolderTree /> }]
          : []),
        ...(canSeeMembers(current) ? [{ to: `${base}/members`, label: t(shm.members), icon: <Users /> }] : []),
        ...(current.can.viewAudit ? [{ to: `${base}/audit`, label: t(shm.audit), icon: <ScrollText /> }] : []),
        { to: `${base}/recordings`, label: t(shm.recordings), icon: <Film /> },
        ...(current.can.manageAlerts ? [{ to: `${base}/alerts`, label: t(shm.alerts), icon: <BellRing /> }] : []),
        ...(current.can.update ? [{ to: `${base}/settings`, label: t(shm.settings), icon: <Settings /> }] : []),
      ]
    : [];
  const adminItems: NavItem[] = [
    ...(me.can.manageTenants ? [{ to: '/admin', label: t(shm.adminOverview), icon: <Shield />, end: true }] : []),
    ...(me.can.manageTenants ? [{ to: '/admin/tenants', label: t(shm.tenants), icon: <Building /> }] : []),
    ...(me.can.manageUsers ? [{ to: '/admin/users', label: t(shm.users), icon: <Users /> }] : []),
    ...(me.can.manageUsers
      ? [{ to: '/admin/identity-providers', label: t(shm.identityProviders), icon: <KeyRound /> }]
      : []),
    ...(me.can.globalAudit ? [{ to: '/admin/audit', label: t(shm.globalAudit), icon: <ScrollText /> }] : []),
  ];
  const accountItems: NavItem[] = [
    { to: '/tenants', label: t(shm.allTenants), icon: <Building />, end: true },
    { to: '/account', label: t(shm.profile), icon: <UserRound />, end: true },
    { to: '/account/security', label: t(shm.security), icon: <ShieldCheck /> },
    { to: '/account/tokens', label: t(shm.tokens), icon: <KeyRound /> },
  ];

  return (
    <nav aria-label={t(shm.main)} className="flex-1 overflow-y-auto px-2 pb-4">
      {current ? <NavSection title={current.name} items={tenantItems} onNavigate={onNavigate} /> : null}
      <NavSection title={t(shm.administration)} items={adminItems} onNavigate={onNavigate} />
      <NavSection title={t(shm.you)} items={accountItems} onNavigate={onNavigate} />
    </nav>
  );
}

function TenantSwitcher({ tenantId }: { tenantId: string | null }) {
  const me = useMeData();
  const navigate = useNavigate();
  const intl = useIntl();
  // GET /api/tenants: the caller's tenants, every tenant for global admins.
  const all = useTenants();
  const list = all.data?.tenants ?? me.tenants;
  const current = list.find((t) => t.id === tenantId);
  const tenant = useTenant(tenantId ?? '');
  const label = current?.name ?? tenant.data?.name ?? intl.formatMessage(shm.chooseTenant);
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="outline"
          size="sm"
          className="max-w-56"
          aria-label={intl.formatMessage(tenantLabel, { name: label })}
        >
          <Building />
          <span className="truncate">{label}</span>
          <ChevronDown className="opacity-60" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="max-h-80 overflow-y-auto">
        <DropdownMenuLabel>{intl.formatMessage(shm.tenants)}</DropdownMenuLabel>
        {list.length === 0 ? <DropdownMenuItem disabled>{intl.formatMessage(shm.noTenants)}</DropdownMenuItem> : null}
        {list.slice(0, 50).map((t) => (
          <DropdownMenuItem key={t.id} onSelect={() => navigate(`/tenants/${t.id}`)}>
            <span className="truncate">{t.name}</span>
            <span className="ml-auto text-xs text-muted-foreground">{t.role ?? ''}</span>
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => navigate('/tenants')}>
          {intl.formatMessage(shm.allTenantsMenu)}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function UserMenu() {
  const me = useMeData();
  const navigate = useNavigate();
  const logout = useLogout();
  const t = useIntl().formatMessage;
  const name = me.user.fullName || me.user.email;
  const initials = name
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]?.toUpperCase())
    .join('');
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full">
          {/* Named by hidden text, not aria-label: the initials shown are not part of the name. */}
          <span className="sr-only">{t(accountMenu, { name })}</span>
          {me.user.avatarUrl ? (
            <img
              src={me.user.avatarUrl}
              alt=""
              className="size-8 rounded-full object-cover"
              referrerPolicy="no-referrer"
            />
          ) : (
            <span
              aria-hidden
              className="flex size-8 items-center justify-center rounded-full bg-muted text-xs font-semibold"
            >
              {initials}
            </span>
          )}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-56">
        <DropdownMenuLabel className="font-normal">
          <span className="block truncate text-sm font-medium text-foreground">{name}</span>
          <span className="block truncate">{me.user.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => navigate('/account')}>
          <UserRound /> {t(shm.profile)}
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => navigate('/account/tokens')}>
          <KeyRound /> {t(shm.tokens)}
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem
          onSelect={() =>
            logout.mutate(undefined, {
              onSettled: (res) => {
                // Signed in through a provider: sign out there too; it sends the browser back.
                if (res?.logoutUrl) window.location.assign(res.logoutUrl);
                else navigate(loginPathFor('/', 'signed-out'), { replace: true });
              },
            })
          }
        >
          <LogOut /> {t(shm.signOut)}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

export function AppShell() {
  const [drawerOpen, setDrawerOpen] = useState(false);
  const tenantId = useTenantMatch();
  const t = useIntl().formatMessage;
  useProfileLocale(useMeData().user.locale);
  return (
    <div className="flex h-full">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-card px-3 py-2 focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        {t(shm.skip)}
      </a>
      <aside className="hidden w-60 shrink-0 flex-col border-r bg-sidebar lg:flex">
        <Brand tenantId={tenantId} />
        <SidebarNav />
      </aside>
      <Sheet open={drawerOpen} onOpenChange={setDrawerOpen}>
        <SheetContent>
          <SheetTitle className="sr-only">{t(shm.navigation)}</SheetTitle>
          <Brand tenantId={tenantId} />
          <SidebarNav onNavigate={() => setDrawerOpen(false)} />
        </SheetContent>
      </Sheet>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center gap-2 border-b bg-background/90 px-3 backdrop-blur sm:px-5">
          <Button
            variant="ghost"
            size="icon"
            className="lg:hidden"
            aria-label={t(shm.openNavigation)}
            onClick={() => setDrawerOpen(true)}
          >
            <Menu />
          </Button>
          <TenantSwitcher tenantId={tenantId} />
          <div className="ml-auto flex items-center gap-1">
            {tenantId ? <NotificationCenter key={tenantId} tenantId={tenantId} /> : null}
            <ThemeToggle />
            <UserMenu />
          </div>
        </header>
        <main id="main" className="min-w-0 flex-1 overflow-y-auto">
          <div className="mx-auto w-full max-w-7xl p-4 sm:p-6">
            <Outlet />
          </div>
        </main>
      </div>
    </div>
  );
}
