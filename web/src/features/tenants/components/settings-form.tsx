// A tenant's settings: name and logo, console and session policy, server defaults, branding
// colours (previewed live) and notification choices. The operator's quotas (global admins) are
// read-only for tenant admins and left out of their save.
import { GLOBAL_ADMIN_SETTINGS, type TenantSettings } from '@common/schemas/tenants';
import { type FormEvent, useEffect, useState } from 'react';
import { TextField } from '@/components/text-field';
import { ErrorAlert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { type Choice, ChoiceSelect, CodeTextarea, Input, Textarea } from '@/components/ui/input';
import { Field, Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { toast } from '@/components/ui/toast';
import { useMeData } from '@/features/auth/api/get-me';
import { errorMessage, fieldErrors } from '@/lib/api-client';
import { useUpdateTenant } from '../api/update-tenant';
import { useUpdateTenantSettings } from '../api/update-tenant-settings';
import { useCurrentTenant } from '../hooks/use-current-tenant';
import { ColourField, type DEFAULT_COLOURS, NumberField, Section, ToggleSetting } from './settings-fields';
import { useTenantBranding } from './tenant-branding';

type NumberKey = { [K in keyof TenantSettings]: TenantSettings[K] extends number ? K : never }[keyof TenantSettings];
interface NumberSetting {
  key: NumberKey;
  id: string;
  label: string;
  min: number;
  max: number;
}

const CONSOLE_LIMITS: NumberSetting[] = [
  { key: 'maxConcurrentConsoles', id: 's-maxConsoles', label: 'Concurrent consoles (tenant)', min: 1, max: 10000 },
  { key: 'consoleIdleTimeoutMinutes', id: 's-consoleIdle', label: 'Console idle timeout (minutes)', min: 1, max: 1440 },
  { key: 'sessionIdleMinutes', id: 's-sessionIdle', label: 'Session idle timeout (minutes)', min: 5, max: 10080 },
  { key: 'sessionMaxHours', id: 's-sessionMax', label: 'Session maximum (hours)', min: 1, max: 720 },
];

const SERVER_LIMITS: NumberSetting[] = [
  { key: 'maxServers', id: 's-maxServers', label: 'Maximum servers', min: 1, max: 1000 },
  { key: 'healthCheckIntervalSeconds', id: 's-interval', label: 'Health check interval (seconds)', min: 5, max: 3600 },
  {
    key: 'alertOfflineAfterSeconds',
    id: 's-alertOffline',
    label: 'Alert when a server is offline for (seconds)',
    min: 0,
    max: 86400,
  },
  {
    key: 'defaultConnectionTimeoutMs',
    id: 's-timeout',
    label: 'Default connection timeout (ms)',
    min: 1000,
    max: 120000,
  },
];

const VIEWER_CONSOLES: Choice<TenantSettings['viewerConsole']>[] = [
  { value: 'view-only', label: 'View-only' },
  { value: 'none', label: 'None' },
];

const CONSOLE_KINDS: Choice<TenantSettings['defaultConsole']['lxc']>[] = [
  { value: 'terminal', label: 'Terminal (text)' },
  { value: 'vnc', label: 'Console (graphical)' },
];

/** The tenant's default console per guest type (a VM's text console needs a serial port). */
const DEFAULT_CONSOLES: { type: keyof TenantSettings['defaultConsole']; label: string; hint: string }[] = [
  {
    type: 'lxc',
    label: 'Containers open',
    hint: "What a container's page offers first: its text console or the graphical one.",
  },
  {
    type: 'qemu',
    label: 'Virtual machines open',
    hint: 'The text console applies to VMs with a serial port; the others always open the graphical one.',
  },
];

const SHARING: Choice<TenantSettings['consoleSharing']>[] = [
  { value: 'view', label: 'Watch only' },
  { value: 'control', label: 'Watch or control' },
  { value: 'off', label: 'Off (ends live links)' },
];

const TLS_MODES: Choice<TenantSettings['defaultTlsMode']>[] = [
  { value: 'pinned', label: 'Pinned fingerprint' },
  { value: 'ca', label: 'Custom CA' },
  { value: 'insecure', label: 'Insecure (no verification)' },
];

const BACKUP_MODES: Choice<TenantSettings['backupMode']>[] = [
  { value: 'snapshot', label: 'Snapshot (no downtime)' },
  { value: 'suspend', label: 'Suspend (short pause)' },
  { value: 'stop', label: 'Stop (consistent, downtime)' },
];

const COLOURS: Array<[keyof typeof DEFAULT_COLOURS, string]> = [
  ['primaryColor', 'Primary colour'],
  ['secondaryColor', 'Secondary colour'],
  ['accentColor', 'Accent colour'],
];

/** The operator's settings: read-only for tenant admins. */
const isQuota = (key: keyof TenantSettings) => (GLOBAL_ADMIN_SETTINGS as readonly string[]).includes(key);

const QUOTA_HINT = 'Set by the operator (global admins).';

/** One entry per line (or comma-separated) → the list, or null when empty. */
function targetsFrom(text: string): string[] | null {
  const entries = text
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter(Boolean);
  return entries.length > 0 ? entries : null;
}

export function SettingsForm({ initial }: { initial: TenantSettings }) {
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
    // One logo: the tenant's (an older separate sidebar logo is folded into it on the next save).
    logoUrl: tenant.logoUrl ?? initial.branding.logoUrl ?? '',
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
      // Outbound e-mail is not sent yet (it comes with alert channels): no field pretends it is.
      const body: Partial<TenantSettings> = {
        ...s,
        branding: { ...s.branding, logoUrl: null },
        allowedTargets: targetsFrom(targetsText),
      };
      if (!setsQuotas) for (const key of GLOBAL_ADMIN_SETTINGS) delete body[key];
      await save.mutateAsync(body);
      toast({ variant: 'success', title: 'Settings saved' });
    } catch (err) {
      toast({ variant: 'error', title: 'Settings not saved', description: errorMessage(err) });
    }
  };

  const numberField = ({ key, id, label, min, max }: NumberSetting) => (
    <NumberField
      key={key}
      id={id}
      label={label}
      min={min}
      max={max}
      value={s[key]}
      onChange={(v) => set(key, v)}
      error={errs[key]}
      {...(isQuota(key) ? quota : {})}
    />
  );

  return (
    <form className="grid gap-6" onSubmit={onSubmit}>
      {(save.error || updateTenant.error) && Object.keys(errs).length === 0 ? (
        <ErrorAlert error={save.error ?? updateTenant.error} />
      ) : null}
      <Section title="General">
        <TextField
          id="t-name"
          label="Name"
          error={errs.name}
          value={general.name}
          onValueChange={(v) => setGeneral({ ...general, name: v })}
        />
        <TextField
          id="t-logo"
          label="Logo URL"
          hint="http(s) address of the tenant's logo, shown in the sidebar and the tenant list."
          error={errs.logoUrl}
          type="url"
          value={general.logoUrl}
          onValueChange={(v) => setGeneral({ ...general, logoUrl: v })}
        />
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
          <ChoiceSelect
            id="s-viewerConsole"
            value={s.viewerConsole}
            onValueChange={(v) => set('viewerConsole', v)}
            choices={VIEWER_CONSOLES}
          />
        </Field>
        {CONSOLE_LIMITS.map((f) => numberField(f))}
        {DEFAULT_CONSOLES.map(({ type, label, hint }) => (
          <Field key={type} id={`s-console-${type}`} label={label} hint={hint}>
            <ChoiceSelect
              id={`s-console-${type}`}
              value={s.defaultConsole[type]}
              onValueChange={(v) => set('defaultConsole', { ...s.defaultConsole, [type]: v })}
              choices={CONSOLE_KINDS}
            />
          </Field>
        ))}
        <Field
          id="s-sharing"
          label="Console share links"
          hint="The most a link for someone without an account may give."
        >
          <ChoiceSelect
            id="s-sharing"
            value={s.consoleSharing}
            onValueChange={(v) => set('consoleSharing', v)}
            choices={SHARING}
          />
        </Field>
        <ToggleSetting
          id="s-node-shell"
          label="Node shells for tenant admins"
          hint="A shell on the Proxmox nodes themselves (audited). The API token needs Sys.Console on /nodes; Proxmox gives tokens a login prompt, not a root shell."
          checked={s.nodeShell}
          onChange={(v) => set('nodeShell', v)}
        />
        <ToggleSetting
          id="s-require-mfa"
          label="Require a second factor"
          hint="Members without an authenticator app cannot enter this tenant until they set one up (yours first)."
          checked={s.requireMfa}
          onChange={(v) => set('requireMfa', v)}
        />
      </Section>
      <Section title="Backups" description="What “Back up now” on a guest page does.">
        <TextField
          id="s-backup-storage"
          label="Backup storage"
          hint="A Proxmox storage id; empty: the node's first storage that holds backups."
          error={errs.backupStorage}
          value={s.backupStorage ?? ''}
          onValueChange={(v) => set('backupStorage', v.trim() || null)}
        />
        <Field id="s-backup-mode" label="Backup mode">
          <ChoiceSelect
            id="s-backup-mode"
            value={s.backupMode}
            onValueChange={(v) => set('backupMode', v)}
            choices={BACKUP_MODES}
          />
        </Field>
      </Section>
      <Section title="Servers" description="Limits and defaults for new servers.">
        {SERVER_LIMITS.map((f) => numberField(f))}
        <Field id="s-tls" label="Default TLS mode">
          <ChoiceSelect
            id="s-tls"
            value={s.defaultTlsMode}
            onValueChange={(v) => set('defaultTlsMode', v)}
            choices={TLS_MODES}
          />
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
            <CodeTextarea
              id="s-targets"
              rows={3}
              value={targetsText}
              onValueChange={setTargetsText}
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
        {COLOURS.map(([key, label]) => (
          <ColourField
            key={key}
            id={key}
            label={label}
            value={s.branding[key]}
            onChange={(v) => set('branding', { ...s.branding, [key]: v })}
            error={errs[`branding.${key}`]}
          />
        ))}
      </Section>
      <Section
        title="Notifications"
        description="What appears in the notification center (in the app; e-mail and webhooks are not sent yet)."
      >
        {(
          [
            ['serverOffline', 'Server health: offline, certificate or token errors, and back'],
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
