// /tenants/:tenantId/settings: the tenant's name and logo, console and session policy, server
// defaults, branding colours (previewed live) and notification choices. Tenant admins only;
// the quotas are the operator's (global admins) and shown read-only to tenant admins.
import { GLOBAL_ADMIN_SETTINGS, type TenantSettings } from '@common/schemas/tenants';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Input, NativeSelect, Textarea } from '@/components/ui/input';
import { Field, Label } from '@/components/ui/label';
import { EmptyState, PageHeader, Skeleton } from '@/components/ui/misc';
import { Switch } from '@/components/ui/switch';
import { toast } from '@/components/ui/toast';
import { useMeData } from '@/features/auth/api/get-me';
import { useDeleteTenant } from '@/features/tenants/api/delete-tenant';
import { useTenantSettings } from '@/features/tenants/api/get-tenant-settings';
import { useUpdateTenant } from '@/features/tenants/api/update-tenant';
import { useUpdateTenantSettings } from '@/features/tenants/api/update-tenant-settings';
import { useTenantBranding } from '@/features/tenants/components/tenant-branding';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { errorMessage, fieldErrors } from '@/lib/api-client';

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        {description ? <CardDescription>{description}</CardDescription> : null}
      </CardHeader>
      <CardContent className="grid gap-4 sm:grid-cols-2">{children}</CardContent>
    </Card>
  );
}

function NumberField({
  id,
  label,
  value,
  onChange,
  min,
  max,
  hint,
  error,
  disabled,
}: {
  id: string;
  label: string;
  value: number;
  onChange(n: number): void;
  min: number;
  max: number;
  hint?: string;
  error?: string | undefined;
  disabled?: boolean;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <Input
        id={id}
        type="number"
        disabled={disabled}
        min={min}
        max={max}
        value={Number.isFinite(value) ? value : ''}
        onChange={(e) => onChange(e.target.valueAsNumber)}
      />
    </Field>
  );
}

const DEFAULT_COLOURS = { primaryColor: '#e57000', secondaryColor: '#1f2937', accentColor: '#f59e0b' } as const;

function ColourField({
  id,
  label,
  value,
  onChange,
  error,
}: {
  id: keyof typeof DEFAULT_COLOURS;
  label: string;
  value: string | null;
  onChange(v: string | null): void;
  error?: string | undefined;
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={`brand-${id}`}>{label}</Label>
      <div className="flex items-center gap-2">
        <Input
          id={`brand-${id}`}
          type="color"
          value={value ?? DEFAULT_COLOURS[id]}
          onChange={(e) => onChange(e.target.value)}
        />
        <code className="text-xs text-muted-foreground">{value ?? 'default'}</code>
        {value ? (
          <Button variant="ghost" size="sm" onClick={() => onChange(null)}>
            Use default
          </Button>
        ) : null}
      </div>
      {error ? <p className="text-xs text-destructive-text">{error}</p> : null}
    </div>
  );
}

const QUOTA_HINT = 'Set by the operator (global admins).';

/** One entry per line (or comma-separated) → the list, or null when empty. */
function targetsFrom(text: string): string[] | null {
  const entries = text
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter(Boolean);
  return entries.length > 0 ? entries : null;
}

function SettingsForm({ initial }: { initial: TenantSettings }) {
  const tenant = useCurrentTenant();
  // Only global admins change quotas and the egress narrowing; for anyone else the inputs are
  // read-only and left out of the PUT.
  const setsQuotas = useMeData().can.manageTenants;
  const quota = setsQuotas ? {} : { disabled: true, hint: QUOTA_HINT };
  const [targetsText, setTargetsText] = useState((initial.allowedTargets ?? []).join('\n'));
  const save = useUpdateTenantSettings(tenant.id);
  const updateTenant = useUpdateTenant();
  const [s, setS] = useState<TenantSettings>(initial);
  const [general, setGeneral] = useState({
    name: tenant.name,
    description: tenant.description ?? '',
    logoUrl: tenant.logoUrl ?? '',
  });
  useEffect(() => {
    setS(initial);
    setTargetsText((initial.allowedTargets ?? []).join('\n'));
  }, [initial]);
  // Preview: the colours apply while editing; saved settings take over after.
  useTenantBranding(s.branding);
  const errs = { ...fieldErrors(save.error), ...fieldErrors(updateTenant.error) };
  const set = <K extends keyof TenantSettings>(k: K, v: TenantSettings[K]) => setS({ ...s, [k]: v });

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const generalChanged =
        general.name !== tenant.name ||
        general.description !== (tenant.description ?? '') ||
        general.logoUrl !== (tenant.logoUrl ?? '');
      if (generalChanged) {
        await updateTenant.mutateAsync({
          tenantId: tenant.id,
          body: {
            name: general.name.trim(),
            description: general.description.trim() || null,
            logoUrl: general.logoUrl.trim() || null,
          },
        });
      }
      const { notifications, ...rest } = s;
      const body: Partial<TenantSettings> = {
        ...rest,
        allowedTargets: targetsFrom(targetsText),
        notifications: { ...notifications, email: notifications.email?.trim() ? notifications.email.trim() : null },
      };
      if (!setsQuotas) for (const key of GLOBAL_ADMIN_SETTINGS) delete body[key];
      await save.mutateAsync(body);
      toast({ variant: 'success', title: 'Settings saved' });
    } catch (err) {
      toast({ variant: 'error', title: 'Settings not saved', description: errorMessage(err) });
    }
  };

  return (
    <form className="grid gap-6" onSubmit={onSubmit}>
      {(save.error || updateTenant.error) && Object.keys(errs).length === 0 ? (
        <ErrorAlert error={save.error ?? updateTenant.error} />
      ) : null}
      <Section title="General">
        <Field id="t-name" label="Name" error={errs.name}>
          <Input id="t-name" value={general.name} onChange={(e) => setGeneral({ ...general, name: e.target.value })} />
        </Field>
        <Field id="t-logo" label="Logo URL" hint="http(s) address of the tenant's logo." error={errs.logoUrl}>
          <Input
            id="t-logo"
            type="url"
            value={general.logoUrl}
            onChange={(e) => setGeneral({ ...general, logoUrl: e.target.value })}
          />
        </Field>
        <Field id="t-description" label="Description" className="sm:col-span-2" error={errs.description}>
          <Textarea
            id="t-description"
            value={general.description}
            onChange={(e) => setGeneral({ ...general, description: e.target.value })}
          />
        </Field>
      </Section>
      <Section title="Consoles and sessions">
        <Field id="s-viewerConsole" label="Viewers' console" hint="What members with the viewer role get.">
          <NativeSelect
            id="s-viewerConsole"
            value={s.viewerConsole}
            onChange={(e) => set('viewerConsole', e.target.value as TenantSettings['viewerConsole'])}
          >
            <option value="view-only">View-only</option>
            <option value="none">None</option>
          </NativeSelect>
        </Field>
        <NumberField
          id="s-maxConsoles"
          label="Concurrent consoles (tenant)"
          min={1}
          max={10000}
          value={s.maxConcurrentConsoles}
          onChange={(v) => set('maxConcurrentConsoles', v)}
          error={errs.maxConcurrentConsoles}
          {...quota}
        />
        <NumberField
          id="s-consoleIdle"
          label="Console idle timeout (minutes)"
          min={1}
          max={1440}
          value={s.consoleIdleTimeoutMinutes}
          onChange={(v) => set('consoleIdleTimeoutMinutes', v)}
          error={errs.consoleIdleTimeoutMinutes}
        />
        <NumberField
          id="s-sessionIdle"
          label="Session idle timeout (minutes)"
          min={5}
          max={10080}
          value={s.sessionIdleMinutes}
          onChange={(v) => set('sessionIdleMinutes', v)}
          error={errs.sessionIdleMinutes}
        />
        <NumberField
          id="s-sessionMax"
          label="Session maximum (hours)"
          min={1}
          max={720}
          value={s.sessionMaxHours}
          onChange={(v) => set('sessionMaxHours', v)}
          error={errs.sessionMaxHours}
        />
      </Section>
      <Section title="Servers" description="Limits and defaults for new servers.">
        <NumberField
          id="s-maxServers"
          label="Maximum servers"
          min={1}
          max={1000}
          value={s.maxServers}
          onChange={(v) => set('maxServers', v)}
          error={errs.maxServers}
          {...quota}
        />
        <NumberField
          id="s-interval"
          label="Health check interval (seconds)"
          min={5}
          max={3600}
          value={s.healthCheckIntervalSeconds}
          onChange={(v) => set('healthCheckIntervalSeconds', v)}
          error={errs.healthCheckIntervalSeconds}
        />
        <NumberField
          id="s-timeout"
          label="Default connection timeout (ms)"
          min={1000}
          max={120000}
          value={s.defaultConnectionTimeoutMs}
          onChange={(v) => set('defaultConnectionTimeoutMs', v)}
          error={errs.defaultConnectionTimeoutMs}
        />
        <Field id="s-tls" label="Default TLS mode">
          <NativeSelect
            id="s-tls"
            value={s.defaultTlsMode}
            onChange={(e) => set('defaultTlsMode', e.target.value as TenantSettings['defaultTlsMode'])}
          >
            <option value="pinned">Pinned fingerprint</option>
            <option value="ca">Custom CA</option>
            <option value="insecure">Insecure (no verification)</option>
          </NativeSelect>
        </Field>
        <Field
          id="s-targets"
          label="Allowed targets"
          className="sm:col-span-2"
          hint={
            setsQuotas
              ? 'Narrows the operator’s egress policy for this tenant: CIDRs, addresses or host names, each with an optional :port, one per line. Empty: no narrowing.'
              : 'Set by a global admin: where this tenant’s servers may be, within the operator’s egress policy.'
          }
          error={Object.entries(errs).find(([k]) => k.startsWith('allowedTargets'))?.[1]}
        >
          {setsQuotas ? (
            <Textarea
              id="s-targets"
              rows={3}
              className="font-mono text-xs"
              value={targetsText}
              onChange={(e) => setTargetsText(e.target.value)}
              placeholder="10.20.0.0/16:8006"
            />
          ) : (
            <Input
              id="s-targets"
              readOnly
              className="font-mono text-xs"
              value={s.allowedTargets?.join(', ') ?? 'No narrowing: the operator’s policy applies.'}
            />
          )}
        </Field>
      </Section>
      <Section title="Branding" description="Colours and logo for this tenant's pages; previewed as you edit.">
        <ColourField
          id="primaryColor"
          label="Primary colour"
          value={s.branding.primaryColor}
          onChange={(v) => set('branding', { ...s.branding, primaryColor: v })}
          error={errs['branding.primaryColor']}
        />
        <ColourField
          id="secondaryColor"
          label="Secondary colour"
          value={s.branding.secondaryColor}
          onChange={(v) => set('branding', { ...s.branding, secondaryColor: v })}
          error={errs['branding.secondaryColor']}
        />
        <ColourField
          id="accentColor"
          label="Accent colour"
          value={s.branding.accentColor}
          onChange={(v) => set('branding', { ...s.branding, accentColor: v })}
          error={errs['branding.accentColor']}
        />
        <Field
          id="b-logo"
          label="Sidebar logo URL"
          hint="Shown instead of the Nexus mark."
          error={errs['branding.logoUrl']}
        >
          <Input
            id="b-logo"
            type="url"
            value={s.branding.logoUrl ?? ''}
            onChange={(e) => set('branding', { ...s.branding, logoUrl: e.target.value.trim() || null })}
          />
        </Field>
      </Section>
      <Section title="Notifications" description="What appears in the notification center.">
        {(
          [
            ['serverOffline', 'Server offline and back'],
            ['vmActions', 'Power actions by others'],
            ['memberChanges', 'Membership changes'],
          ] as const
        ).map(([k, label]) => (
          <div key={k} className="flex items-center gap-3">
            <Switch
              id={`n-${k}`}
              checked={s.notifications[k]}
              onCheckedChange={(v) => set('notifications', { ...s.notifications, [k]: v })}
            />
            <Label htmlFor={`n-${k}`}>{label}</Label>
          </div>
        ))}
        <Field id="n-email" label="E-mail copy (optional)" error={errs['notifications.email']}>
          <Input
            id="n-email"
            type="email"
            value={s.notifications.email ?? ''}
            onChange={(e) => set('notifications', { ...s.notifications, email: e.target.value })}
          />
        </Field>
      </Section>
      <div className="sticky bottom-0 -mx-4 flex justify-end gap-2 border-t bg-background/90 px-4 py-3 backdrop-blur sm:-mx-6 sm:px-6">
        <Button variant="outline" onClick={() => setS(initial)}>
          Reset
        </Button>
        <Button type="submit" disabled={save.isPending || updateTenant.isPending}>
          Save settings
        </Button>
      </div>
    </form>
  );
}

export function Component() {
  const tenant = useCurrentTenant();
  const settings = useTenantSettings(tenant.id);
  const del = useDeleteTenant();
  const navigate = useNavigate();
  const [confirmDelete, setConfirmDelete] = useState(false);
  if (!tenant.can.update) return <EmptyState title="No access" description="Only tenant admins change settings." />;
  return (
    <>
      <PageHeader title="Settings" description={`Configuration of ${tenant.name}.`} />
      {settings.isPending ? (
        <Skeleton className="h-96" />
      ) : settings.isError ? (
        <ErrorAlert error={settings.error} />
      ) : (
        <SettingsForm initial={settings.data} />
      )}
      {tenant.can.delete ? (
        <Card className="mt-6 border-destructive/40">
          <CardHeader>
            <CardTitle>Delete tenant</CardTitle>
            <CardDescription>
              Removes its servers, credentials, members and settings. The audit log keeps its history.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Button variant="destructive" onClick={() => setConfirmDelete(true)}>
              Delete {tenant.name}
            </Button>
          </CardContent>
        </Card>
      ) : null}
      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title={`Delete ${tenant.name}?`}
        description="This cannot be undone."
        confirmLabel="Delete tenant"
        pending={del.isPending}
        onConfirm={() =>
          del.mutate(tenant.id, {
            onSuccess: () => navigate('/tenants', { replace: true }),
            onError: (e) => toast({ variant: 'error', title: 'Delete failed', description: errorMessage(e) }),
          })
        }
      />
    </>
  );
}
