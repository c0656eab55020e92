// An audit event in words: what happened (the verb, with a power action's own verb) to what (the
// names recorded when it happened: guest, server, member, tenant), and the action catalogue as
// the filter's choices. Ids stay in the expandable details.
import { AUDIT_ACTIONS, type AuditAction } from '@common/schemas/audit';
import { translate } from '@/i18n/current-intl';
import type { AuditEntry } from './api/get-audit';
import {
  ACTION_MESSAGES,
  auditWords,
  GROUP_MESSAGES,
  groupAction,
  groupAll,
  POWER_VERBS,
  powerOther,
} from './messages';

/** An action's name in the app's language (the action itself when it is not one Nexus knows). */
export function actionLabel(action: string): string {
  return Object.hasOwn(ACTION_MESSAGES, action) ? translate(ACTION_MESSAGES[action as AuditAction]) : action;
}

/** The action filter's choices: any, a whole group (a prefix), or one action. */
export function actionChoices(): { value: string; label: string }[] {
  return [
    { value: '', label: translate(auditWords.anyAction) },
    ...Object.entries(AUDIT_ACTIONS).flatMap(([group, actions]) => {
      const name = translate(GROUP_MESSAGES[group as keyof typeof AUDIT_ACTIONS]);
      return [
        ...(actions.length > 1 ? [{ value: `${group}.`, label: translate(groupAll, { group: name }) }] : []),
        ...actions.map((a) => ({ value: a, label: translate(groupAction, { group: name, action: actionLabel(a) }) })),
      ];
    }),
  ];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** What happened, as a short sentence's verb part. */
export function actionText(e: Pick<AuditEntry, 'action' | 'details'>): string {
  if (e.action === 'vm.power') {
    const verb = str(e.details?.action);
    if (!verb) return translate(auditWords.power);
    const known = Object.hasOwn(POWER_VERBS, verb) ? POWER_VERBS[verb] : undefined;
    return known ? translate(known) : translate(powerOther, { verb });
  }
  return actionLabel(e.action);
}

/** What it happened to, by the names recorded then (ids only where no name was recorded). */
export function targetText(e: Pick<AuditEntry, 'targetType' | 'targetId' | 'details'>): string {
  const d = e.details ?? {};
  const vmid = typeof d.vmid === 'number' ? d.vmid : null;
  const server = str(d.serverName);
  if (vmid !== null) {
    const guest = str(d.guestName);
    const name = guest
      ? translate(auditWords.guestNamed, { name: guest, vmid })
      : translate(auditWords.guest, { vmid });
    return server ? translate(auditWords.onServer, { guest: name, server }) : name;
  }
  const name = str(d.name) ?? server ?? str(d.email) ?? str(d.tenantName);
  if (name && e.targetType === 'server') return translate(auditWords.server, { name });
  if (name && e.targetType === 'tenant') return translate(auditWords.tenant, { name });
  if (name) return name;
  if (!e.targetType) return '–';
  return `${e.targetType} ${e.targetId?.slice(0, 8) ?? ''}`.trim();
}
