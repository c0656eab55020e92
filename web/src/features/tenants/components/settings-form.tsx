// A tenant's settings: name and logo, console and session policy, server defaults, branding
// colours (previewed live) and notification choices. The operator's quotas (global admins) are
// read-only for tenant admins and left out of their save.
import { GLOBAL_ADMIN_SETTINGS, type TenantSettings } from '@common/schemas/tenants';
import { type FormEvent, useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
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
import { type SettingsMessage, sm } from '../settings-messages';
import { ColourField, type DEFAULT_COLOURS, NumberField, Section, ToggleSetting } from './settings-fields';
import { useTenantBranding } from './tenant-branding';

type KeysOf<T> = { [K in keyof TenantSettings]: TenantSettings[K] extends T ? K : never }[keyof TenantSettings];
type NumberKey = KeysOf<number>;
type ChoiceKey = KeysOf<string>;
type ToggleKey = KeysOf<boolean>;
/** A choice whose label is a message (translated where it is shown). */
interface ChoiceOf<T extends string> {
  value: T;
  label: SettingsMessage;
}

interface NumberSetting {
  key: NumberKey;
  id: string;
  label: SettingsMessage;
  min: number;
  max: number;
}

const CONSOLE_LIMITS: NumberSetting[] = [
  { key: 'maxConcurrentConsoles', id: 's-maxConsoles', label: sm.maxConsoles, min: 1, max: 10000 },
  { key: 'consoleIdleTimeoutMinutes', id: 's-consoleIdle', label: sm.consoleIdle, min: 1, max: 1440 },
  { key: 'sessionIdleMinutes', id: 's-sessionIdle', label: sm.sessionIdle, min: 5, max: 10080 },
  { key: 'sessionMaxHours', id: 's-sessionMax', label: sm.sessionMax, min: 1, max: 720 },
];

const SERVER_LIMITS: NumberSetting[] = [
  { key: 'maxServers', id: 's-maxServers', label: sm.maxServers, min: 1, max: 1000 },
  { key: 'healthCheckIntervalSeconds', id: 's-interval', label: sm.healthInterval, min: 5, max: 3600 },
  {
    key: 'alertOfflineAfterSeconds',
    id: 's-alertOffline',
    label: sm.alertOffline,
    min: 0,
    max: 86400,
  },
  {
    key: 'defaultConnectionTimeoutMs',
    id: 's-timeout',
    label: sm.connTimeout,
    min: 1000,
    max: 120000,
  },
];

const VIEWER_CONSOLES: ChoiceOf<TenantSettings['viewerConsole']>[] = [
  { value: 'view-only', label: sm.viewOnly },
  { value: 'none', label: sm.none },
];

const CONSOLE_KINDS: ChoiceOf<TenantSettings['defaultConsole']['lxc']>[] = [
  { value: 'terminal', label: sm.terminalText },
  { value: 'vnc', label: sm.consoleGraphical },
];

/** The tenant's default console per guest type (a VM's text console needs a serial port). */
const DEFAULT_CONSOLES: {
  type: keyof TenantSettings['defaultConsole'];
  label: SettingsMessage;
  hint: SettingsMessage;
}[] = [
  {
    type: 'lxc',
    label: sm.containersOpen,
    hint: sm.containersOpenHint,
  },
  {
    type: 'qemu',
    label: sm.vmsOpen,
    hint: sm.vmsOpenHint,
  },
];

const SHARING: ChoiceOf<TenantSettings['consoleSharing']>[] = [
  { value: 'view', label: sm.watchOnly },
  { value: 'control', label: sm.watchOrControl },
  { value: 'off', label: sm.sharingOff },
];

const RECORDING: ChoiceOf<TenantSettings['consoleRecording']>[] = [
  { value: 'off', label: sm.recordingOff },
  { value: 'all', label: sm.recordingAll },
];

const TLS_MODES: ChoiceOf<TenantSettings['defaultTlsMode']>[] = [
  { value: 'pinned', label: sm.tlsPinned },
  { value: 'ca', label: sm.tlsCa },
  { value: 'insecure', label: sm.tlsInsecure },
];

const BACKUP_MODES: ChoiceOf<TenantSettings['backupMode']>[] = [
  { value: 'snapshot', label: sm.backupSnapshot },
  { value: 'suspend', label: sm.backupSuspend },
  { value: 'stop', label: sm.backupStop },
];

const COLOURS: Array<[keyof typeof DEFAULT_COLOURS, SettingsMessage]> = [
  ['primaryColor', sm.primaryColor],
  ['secondaryColor', sm.secondaryColor],
  ['accentColor', sm.accentColor],
];

/** The operator's settings: read-only for tenant admins. */
const isQuota = (key: keyof TenantSettings) => (GLOBAL_ADMIN_SETTINGS as readonly string[]).includes(key);

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
  const t = useIntl().formatMessage;
  const quota = setsQuotas ? {} : { disabled: true, hint: t(sm.quotaHint) };
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
      // The settings' e-mail notification flags are superseded by alert channels: no field for them.
      const body: Partial<TenantSettings> = {
        ...s,
        branding: { ...s.branding, logoUrl: null },
        allowedTargets: targetsFrom(targetsText),
      };
      if (!setsQuotas) for (const key of GLOBAL_ADMIN_SETTINGS) delete body[key];
      await save.mutateAsync(body);
      toast({ variant: 'success', title: t(sm.saved) });
    } catch (err) {
      toast({ variant: 'error', title: t(sm.notSaved), description: errorMessage(err) });
    }
  };

  const numberField = ({ key, id, label, min, max }: NumberSetting) => (
    <NumberField
      key={key}
      id={id}
      label={t(label)}
      min={min}
      max={max}
      value={s[key]}
      onChange={(v) => set(key, v)}
      error={errs[key]}
      {...(isQuota(key) ? quota : {})}
    />
  );

  const choices = <T extends string>(list: ChoiceOf<T>[]): Choice<T>[] =>
    list.map((c) => ({ value: c.value, label: t(c.label) }));

  const choiceField = <K extends ChoiceKey>(
    key: K,
    id: string,
    label: SettingsMessage,
    list: ChoiceOf<TenantSettings[K]>[],
    hint?: SettingsMessage,
  ) => (
    <Field id={id} label={t(label)} hint={hint ? t(hint) : undefined}>
      <ChoiceSelect id={id} value={s[key]} onValueChange={(v) => set(key, v)} choices={choices(list)} />
    </Field>
  );

  const toggle = (key: ToggleKey, id: string, label: SettingsMessage, hint: SettingsMessage) => (
    <ToggleSetting
      id={id}
      label={t(label)}
      hint={t(isQuota(key) && !setsQuotas ? sm.quotaHint : hint)}
      checked={s[key]}
      onChange={(v) => set(key, v)}
      disabled={isQuota(key) && !setsQuotas}
    />
  );

  return (
    <form className="grid gap-6" onSubmit={onSubmit}>
      {(save.error || updateTenant.error) && Object.keys(errs).length === 0 ? (
        <ErrorAlert error={save.error ?? updateTenant.error} />
      ) : null}
      <Section title={t(sm.general)}>
        <TextField
          id="t-name"
          label={t(sm.name)}
          error={errs.name}
          value={general.name}
          onValueChange={(v) => setGeneral({ ...general, name: v })}
        />
        <TextField
          id="t-logo"
          label={t(sm.logoUrl)}
          hint={t(sm.logoHint)}
          error={errs.logoUrl}
          type="url"
          value={general.logoUrl}
          onValueChange={(v) => setGeneral({ ...general, logoUrl: v })}
        />
        <Field id="t-description" label={t(sm.description)} className="sm:col-span-2" error={errs.description}>
          <Textarea
            id="t-description"
            value={general.description}
            onChange={(e) => setGeneral({ ...general, description: e.target.value })}
          />
        </Field>
      </Section>
      <Section title={t(sm.consolesSection)}>
        {choiceField('viewerConsole', 's-viewerConsole', sm.viewerConsole, VIEWER_CONSOLES, sm.viewerConsoleHint)}
        {CONSOLE_LIMITS.map((f) => numberField(f))}
        {DEFAULT_CONSOLES.map(({ type, label, hint }) => (
          <Field key={type} id={`s-console-${type}`} label={t(label)} hint={t(hint)}>
            <ChoiceSelect
              id={`s-console-${type}`}
              value={s.defaultConsole[type]}
              onValueChange={(v) => set('defaultConsole', { ...s.defaultConsole, [type]: v })}
              choices={choices(CONSOLE_KINDS)}
            />
          </Field>
        ))}
        {choiceField('consoleSharing', 's-sharing', sm.sharing, SHARING, sm.sharingHint)}
        {toggle('nodeShell', 's-node-shell', sm.nodeShell, sm.nodeShellHint)}
        {toggle('requireMfa', 's-require-mfa', sm.requireMfa, sm.requireMfaHint)}
      </Section>
      <Section title={t(sm.recordings)} description={t(sm.recordingsDescription)}>
        {choiceField('consoleRecording', 's-recording', sm.recordConsoles, RECORDING)}
        {numberField({
          key: 'recordingRetentionDays',
          id: 's-recording-days',
          label: sm.retention,
          min: 1,
          max: 3650,
        })}
        {toggle('recordingMaskKeys', 's-recording-mask', sm.maskKeys, sm.maskKeysHint)}
        {toggle('consoleRecordingForced', 's-recording-forced', sm.forced, sm.forcedHint)}
      </Section>
      <Section title={t(sm.backups)} description={t(sm.backupsDescription)}>
        <TextField
          id="s-backup-storage"
          label={t(sm.backupStorage)}
          hint={t(sm.backupStorageHint)}
          error={errs.backupStorage}
          value={s.backupStorage ?? ''}
          onValueChange={(v) => set('backupStorage', v.trim() || null)}
        />
        {choiceField('backupMode', 's-backup-mode', sm.backupMode, BACKUP_MODES)}
      </Section>
      <Section title={t(sm.servers)} description={t(sm.serversDescription)}>
        {SERVER_LIMITS.map((f) => numberField(f))}
        {choiceField('defaultTlsMode', 's-tls', sm.tlsMode, TLS_MODES)}
        <Field
          id="s-targets"
          label={t(sm.allowedTargets)}
          className="sm:col-span-2"
          hint={t(setsQuotas ? sm.targetsHintAdmin : sm.targetsHint)}
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
              value={s.allowedTargets?.join(', ') ?? t(sm.noNarrowing)}
            />
          )}
        </Field>
      </Section>
      <Section title={t(sm.branding)} description={t(sm.brandingDescription)}>
        {COLOURS.map(([key, label]) => (
          <ColourField
            key={key}
            id={key}
            label={t(label)}
            value={s.branding[key]}
            onChange={(v) => set('branding', { ...s.branding, [key]: v })}
            error={errs[`branding.${key}`]}
          />
        ))}
      </Section>
      <Section title={t(sm.notifications)} description={t(sm.notificationsDescription)}>
        {(
          [
            ['serverOffline', sm.notifyServerOffline],
            ['vmActions', sm.notifyVmActions],
            ['memberChanges', sm.notifyMemberChanges],
          ] as const
        ).map(([k, label]) => (
          <div key={k} className="flex items-center gap-3">
            <Switch
              id={`n-${k}`}
              checked={s.notifications[k]}
              onCheckedChange={(v) => set('notifications', { ...s.notifications, [k]: v })}
            />
            <Label htmlFor={`n-${k}`}>{t(label)}</Label>
          </div>
        ))}
      </Section>
      <div className="sticky bottom-0 -mx-4 flex justify-end gap-2 border-t bg-background/90 px-4 py-3 backdrop-blur sm:-mx-6 sm:px-6">
        <Button variant="outline" onClick={() => setS(initial)}>
          {t(sm.reset)}
        </Button>
        <Button type="submit" disabled={save.isPending || updateTenant.isPending}>
          {t(sm.save)}
        </Button>
      </div>
    </form>
  );
}
