import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { ALERT_CATALOGS, alertLanguage } from './alert-messages';
import { budget, describe as describeEvent, duration, maskUrl, quietUntil, retryDelay } from './alert-rules';

const at = (iso: string) => Date.parse(iso);

describe('quiet hours', () => {
  const night = { from: '22:00', to: '07:00', timeZone: 'Europe/Vienna' };
  it('hold messages inside a window that wraps midnight, until its end in that time zone', () => {
    // 23:30 in Vienna (CET, UTC+1) is 22:30 UTC; the window ends at 07:00 Vienna = 06:00 UTC.
    expect(quietUntil(night, at('2026-12-04T22:30:00Z'))).toBe(at('2026-12-05T06:00:00Z'));
    expect(quietUntil(night, at('2026-12-05T05:59:30Z'))).toBe(at('2026-12-05T06:00:00Z'));
  });
  it('let messages through outside the window and without one', () => {
    expect(quietUntil(night, at('2026-12-05T06:00:00Z'))).toBeNull();
    expect(quietUntil(night, at('2026-12-05T12:00:00Z'))).toBeNull();
    expect(quietUntil(null, at('2026-12-05T23:00:00Z'))).toBeNull();
  });
  it('handle a window within one day and summer time', () => {
    const lunch = { from: '12:00', to: '13:00', timeZone: 'Europe/Vienna' };
    // July: CEST, UTC+2.
    expect(quietUntil(lunch, at('2026-07-01T10:15:00Z'))).toBe(at('2026-07-01T11:00:00Z'));
    expect(quietUntil(lunch, at('2026-07-01T11:00:00Z'))).toBeNull();
  });
});

describe('the hourly budget', () => {
  it('sends all while there is room, else fills the room and folds the rest into the last slot', () => {
    expect(budget(3, 0, 5)).toEqual({ single: 3, fold: false });
    expect(budget(6, 0, 3)).toEqual({ single: 2, fold: true });
    expect(budget(6, 2, 3)).toEqual({ single: 0, fold: true });
    expect(budget(1, 3, 3)).toEqual({ single: 0, fold: false });
  });
});

describe('retries', () => {
  it('back off from 30 s doubling to an hour, with jitter', () => {
    expect(retryDelay(1, () => 0.5)).toBe(30_000);
    expect(retryDelay(2, () => 0.5)).toBe(60_000);
    expect(retryDelay(20, () => 0.5)).toBe(3_600_000);
    expect(retryDelay(1, () => 0)).toBe(27_000);
    expect(retryDelay(1, () => 1)).toBe(33_000);
  });
});

describe('what responses show of a webhook URL', () => {
  it('masks the path and query where chat services keep the capability', () => {
    expect(maskUrl('https://hooks.slack.com/services/T0/B0/secret')).toBe('https://hooks.slack.com/…');
    expect(maskUrl('https://gotify.example:8443/message?token=abc')).toBe('https://gotify.example:8443/…?…');
    expect(maskUrl('http://127.0.0.1:9000/')).toBe('http://127.0.0.1:9000');
    expect(maskUrl('not a url')).toBe('…');
  });
});

describe('alert texts', () => {
  it('name the server, the outage and the flaps', () => {
    const t = describeEvent('server.online', { serverName: 'pve-a', downSeconds: 840, flaps: 2 });
    expect(t.subject).toBe('Server "pve-a" is back online');
    expect(t.lines.join('\n')).toContain('after 14 min');
    expect(t.lines.join('\n')).toContain('2 more times');
    expect(duration(7500)).toBe('2 h 5 min');
  });
  it('summarise a digest', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ event: 'x', occurredAt: 't', summary: `s${i}` }));
    const t = describeEvent('digest', { items });
    expect(t.subject).toBe('60 alerts from Nexus');
    expect(t.lines.at(-1)).toBe('… and 10 more');
  });
});

describe('alert texts in the recipient’s language', () => {
  it('speak German and French, keeping names and numbers', () => {
    const de = describeEvent('server.online', { serverName: 'pve-a', downSeconds: 840, flaps: 1 }, 'de');
    expect(de.subject).toBe('Server „pve-a“ ist wieder online');
    expect(de.lines).toEqual([
      'Server „pve-a“ ist nach 14 min wieder erreichbar.',
      'Dazwischen fiel er noch 1 weiteres Mal aus (hier zusammengefasst).',
    ]);
    const fr = describeEvent(
      'console.opened',
      { actorLabel: 'ann@x', vmid: 101, serverName: 'pve-a', viewOnly: true },
      'fr',
    );
    expect(fr.lines[0]).toBe('ann@x a ouvert une console en lecture seule sur l’invité 101 du serveur « pve-a ».');
    expect(describeEvent('account.sign_in', { ip: '192.0.2.1' }, 'de').subject).toBe(
      'Neue Anmeldung bei Ihrem Nexus-Konto',
    );
  });

  it('speak Spanish too, and English for languages they do not know', () => {
    expect(describeEvent('server.refused', { serverName: 'pve-a' }, 'es').subject).toBe(
      'El servidor «pve-a» es rechazado por la política de salida',
    );
    expect(describeEvent('test', {}, 'es').subject).toBe('Mensaje de prueba de Nexus');
    expect(alertLanguage('en-XA')).toBe('en');
    expect(alertLanguage(null)).toBe('en');
  });

  it('every translation keeps its message’s placeholders', () => {
    const names = (message: string): string[] => {
      const out = new Set<string>();
      const walk = (els: MessageFormatElement[]) => {
        for (const el of els) {
          if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
          out.add(el.value);
          if (el.type === TYPE.plural || el.type === TYPE.select)
            for (const o of Object.values(el.options)) walk(o.value);
        }
      };
      walk(parse(message));
      return [...out].sort();
    };
    const en = ALERT_CATALOGS.en as Record<string, string>;
    for (const language of ['de', 'fr', 'es'] as const) {
      for (const [id, message] of Object.entries(ALERT_CATALOGS[language])) {
        expect(names(message ?? ''), `${language} ${id}`).toEqual(names(en[id] ?? ''));
      }
    }
  });
});
