// The signed-in frame: a sidebar (a drawer on phones) with the tenant's and the global pages,
// and a header with the tenant switcher, live-stream state, notifications, theme and user menu.
import {
  Activity,
  BellRing,
  Building,
  ChevronDown,
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
import { cn } from '@/lib/utils';
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
  const tenantId = useTenantMatch();
  const tenant = useTenant(tenantId ?? '');
  const t = tenantId && tenant.data ? tenant.data : null;
  const base = tenantId ? `/tenants/${tenantId}` : '';

  const tenantItems: NavItem[] = t
    ? [
        { to: base, label: 'Dashboard', icon: <LayoutDashboard />, end: true },
        { to: `${base}/servers`, label: 'Servers', icon: <Server /> },
        { to: `${base}/monitoring`, label: 'Monitoring', icon: <Activity /> },
        ...(t.can.explorer !== 'none' ? [{ to: `${base}/explorer`, label: 'API explorer', icon: <FolderTree /> }] : []),
        ...(canSeeMembers(t) ? [{ to: `${base}/members`, label: 'Members', icon: <Users /> }] : []),
        ...(t.can.viewAudit ? [{ to: `${base}/audit`, label: 'Audit log', icon: <ScrollText /> }] : []),
        ...(t.can.manageAlerts ? [{ to: `${base}/alerts`, label: 'Alerts', icon: <BellRing /> }] : []),
        ...(t.can.update ? [{ to: `${base}/settings`, label: 'Settings', icon: <Settings /> }] : []),
      ]
    : [];
  const adminItems: NavItem[] = [
    ...(me.can.manageTenants ? [{ to: '/admin', label: 'Overview', icon: <Shield />, end: true }] : []),
    ...(me.can.manageTenants ? [{ to: '/admin/tenants', label: 'Tenants', icon: <Building /> }] : []),
    ...(me.can.manageUsers ? [{ to: '/admin/users', label: 'Users', icon: <Users /> }] : []),
    ...(me.can.manageUsers
      ? [{ to: '/admin/identity-providers', label: 'Sign-in providers', icon: <KeyRound /> }]
      : []),
    ...(me.can.globalAudit ? [{ to: '/admin/audit', label: 'Global audit', icon: <ScrollText /> }] : []),
  ];
  const accountItems: NavItem[] = [
    { to: '/tenants', label: 'All tenants', icon: <Building />, end: true },
    { to: '/account', label: 'Profile', icon: <UserRound />, end: true },
    { to: '/account/security', label: 'Security', icon: <ShieldCheck /> },
    { to: '/account/tokens', label: 'API tokens', icon: <KeyRound /> },
  ];

  return (
    <nav aria-label="Main" className="flex-1 overflow-y-auto px-2 pb-4">
      {t ? <NavSection title={t.name} items={tenantItems} onNavigate={onNavigate} /> : null}
      <NavSection title="Administration" items={adminItems} onNavigate={onNavigate} />
      <NavSection title="You" items={accountItems} onNavigate={onNavigate} />
    </nav>
  );
}

function TenantSwitcher({ tenantId }: { tenantId: string | null }) {
  const me = useMeData();
  const navigate = useNavigate();
  // GET /api/tenants: the caller's tenants, every tenant for global admins.
  const all = useTenants();
  const list = all.data?.tenants ?? me.tenants;
  const current = list.find((t) => t.id === tenantId);
  const tenant = useTenant(tenantId ?? '');
  const label = current?.name ?? tenant.data?.name ?? 'Choose a tenant';
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm" className="max-w-56" aria-label={`Tenant: ${label}`}>
          <Building />
          <span className="truncate">{label}</span>
          <ChevronDown className="opacity-60" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="max-h-80 overflow-y-auto">
        <DropdownMenuLabel>Tenants</DropdownMenuLabel>
        {list.length === 0 ? <DropdownMenuItem disabled>No tenants yet</DropdownMenuItem> : null}
        {list.slice(0, 50).map((t) => (
          <DropdownMenuItem key={t.id} onSelect={() => navigate(`/tenants/${t.id}`)}>
            <span className="truncate">{t.name}</span>
            <span className="ml-auto text-xs text-muted-foreground">{t.role ?? ''}</span>
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => navigate('/tenants')}>All tenants…</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function UserMenu() {
  const me = useMeData();
  const navigate = useNavigate();
  const logout = useLogout();
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
          <span className="sr-only">Account menu for {name}</span>
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
          <UserRound /> Profile
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => navigate('/account/tokens')}>
          <KeyRound /> API tokens
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
          <LogOut /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

export function AppShell() {
  const [drawerOpen, setDrawerOpen] = useState(false);
  const tenantId = useTenantMatch();
  return (
    <div className="flex h-full">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-card px-3 py-2 focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside className="hidden w-60 shrink-0 flex-col border-r bg-sidebar lg:flex">
        <Brand tenantId={tenantId} />
        <SidebarNav />
      </aside>
      <Sheet open={drawerOpen} onOpenChange={setDrawerOpen}>
        <SheetContent>
          <SheetTitle className="sr-only">Navigation</SheetTitle>
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
            aria-label="Open navigation"
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
