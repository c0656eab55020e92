// What alerts say, in the recipient's language (issue 24): ICU messages like the web app's, English
// the source; German, French and Spanish translate every message (the types say so). Values are
// plain strings and numbers; names stay as they were when it happened.
import type { Locale } from '@common/locales';
import { ALERT_LANGUAGES, type AlertLanguage } from '@common/schemas/alerts';
import { IntlMessageFormat } from 'intl-messageformat';

const en = {
  someone: 'Someone',
  aMember: 'a member',
  unknown: 'unknown',
  guest: 'guest {vmid}',
  guestNamed: 'guest {vmid} ({name})',
  since: 'Since: {since}',
  reason: 'Reason: {reason}',
  from: 'From: {ip}',
  offlineSubject: 'Server "{server}" is offline',
  offlineLine: 'Nexus cannot reach server "{server}".',
  tlsSubject: 'Server "{server}" presented a different certificate',
  tlsLine: 'The certificate of "{server}" no longer matches the pinned fingerprint.',
  authSubject: 'Server "{server}" refuses Nexus\'s API token',
  authLine: 'Proxmox rejected the stored token of "{server}".',
  refusedSubject: 'Server "{server}" is refused by the egress policy',
  refusedLine: 'The address of "{server}" is not among the allowed targets.',
  onlineSubject: 'Server "{server}" is back online',
  onlineLine: 'Server "{server}" is reachable again.',
  onlineLineAfter: 'Server "{server}" is reachable again after {down}.',
  onlineFlaps: '{flaps, plural, one {It went down # more time in between (folded here).} other {It went down # more times in between (folded here).}}',
  actionSubject: '{actor}: {action} on {guest}',
  actionLine: '{actor} ran "{action}" on {guest} on server "{server}".',
  consoleSubject: '{actor} opened the console of {guest}',
  consoleLine: '{actor} opened a {viewOnly, select, yes {view-only } other {}}console on {guest} on server "{server}"{shared, select, yes { through a share link} other {}}.',
  membersSubject: 'Members changed: {change}',
  membersLine: '{actor}: {change} ({member}).',
  signInSubject: 'New sign-in to your Nexus account',
  signInLine: 'Your account was used to sign in from a browser or address not seen before.',
  signInAddress: 'Address: {ip}',
  signInBrowser: 'Browser: {userAgent}',
  signInAdvice: 'If this was not you, change your password and sign out other sessions on your security page.',
  testSubject: 'Test message from Nexus',
  testLine: 'This channel is set up: Nexus can reach it.',
  digestSubject: '{count, plural, one {# alert from Nexus} other {# alerts from Nexus}}',
  digestLine: '{count, plural, one {# alert was held (quiet hours or the hourly limit):} other {# alerts were held (quiet hours or the hourly limit):}}',
  digestMore: '… and {count} more',
  otherSubject: 'Nexus: {event}',
} as const;

export type AlertMessageId = keyof typeof en;

const de: Record<AlertMessageId, string> = {
  someone: 'Jemand',
  aMember: 'ein Mitglied',
  unknown: 'unbekannt',
  guest: 'Gast {vmid}',
  guestNamed: 'Gast {vmid} ({name})',
  since: 'Seit: {since}',
  reason: 'Grund: {reason}',
  from: 'Von: {ip}',
  offlineSubject: 'Server „{server}“ ist offline',
  offlineLine: 'Nexus erreicht den Server „{server}“ nicht.',
  tlsSubject: 'Server „{server}“ hat ein anderes Zertifikat vorgelegt',
  tlsLine: 'Das Zertifikat von „{server}“ passt nicht mehr zum hinterlegten Fingerabdruck.',
  authSubject: 'Server „{server}“ lehnt das API-Token von Nexus ab',
  authLine: 'Proxmox hat das gespeicherte Token von „{server}“ abgelehnt.',
  refusedSubject: 'Server „{server}“ wird von der Egress-Richtlinie abgelehnt',
  refusedLine: 'Die Adresse von „{server}“ gehört nicht zu den erlaubten Zielen.',
  onlineSubject: 'Server „{server}“ ist wieder online',
  onlineLine: 'Server „{server}“ ist wieder erreichbar.',
  onlineLineAfter: 'Server „{server}“ ist nach {down} wieder erreichbar.',
  onlineFlaps: '{flaps, plural, one {Dazwischen fiel er noch # weiteres Mal aus (hier zusammengefasst).} other {Dazwischen fiel er noch # weitere Male aus (hier zusammengefasst).}}',
  actionSubject: '{actor}: {action} auf {guest}',
  actionLine: '{actor} hat „{action}“ auf {guest} auf dem Server „{server}“ ausgeführt.',
  consoleSubject: '{actor} hat die Konsole von {guest} geöffnet',
  consoleLine: '{actor} hat {viewOnly, select, yes {eine Nur-Ansehen-Konsole} other {eine Konsole}} auf {guest} auf dem Server „{server}“ geöffnet{shared, select, yes {, über einen Freigabe-Link} other {}}.',
  membersSubject: 'Mitglieder geändert: {change}',
  membersLine: '{actor}: {change} ({member}).',
  signInSubject: 'Neue Anmeldung bei Ihrem Nexus-Konto',
  signInLine: 'Mit Ihrem Konto hat sich jemand von einem bisher unbekannten Browser oder einer unbekannten Adresse angemeldet.',
  signInAddress: 'Adresse: {ip}',
  signInBrowser: 'Browser: {userAgent}',
  signInAdvice: 'Wenn Sie das nicht waren, ändern Sie Ihr Passwort und melden Sie die anderen Sitzungen auf Ihrer Sicherheitsseite ab.',
  testSubject: 'Testnachricht von Nexus',
  testLine: 'Dieser Kanal ist eingerichtet: Nexus kann ihn erreichen.',
  digestSubject: '{count, plural, one {# Benachrichtigung von Nexus} other {# Benachrichtigungen von Nexus}}',
  digestLine: '{count, plural, one {# Benachrichtigung wurde zurückgehalten (Ruhezeit oder Stundenlimit):} other {# Benachrichtigungen wurden zurückgehalten (Ruhezeit oder Stundenlimit):}}',
  digestMore: '… und {count} weitere',
  otherSubject: 'Nexus: {event}',
};

const fr: Record<AlertMessageId, string> = {
  someone: 'Quelqu’un',
  aMember: 'un membre',
  unknown: 'inconnu',
  guest: 'l’invité {vmid}',
  guestNamed: 'l’invité {vmid} ({name})',
  since: 'Depuis : {since}',
  reason: 'Raison : {reason}',
  from: 'Depuis l’adresse : {ip}',
  offlineSubject: 'Le serveur « {server} » est hors ligne',
  offlineLine: 'Nexus ne parvient pas à joindre le serveur « {server} ».',
  tlsSubject: 'Le serveur « {server} » a présenté un autre certificat',
  tlsLine: 'Le certificat de « {server} » ne correspond plus à l’empreinte épinglée.',
  authSubject: 'Le serveur « {server} » refuse le jeton d’API de Nexus',
  authLine: 'Proxmox a refusé le jeton enregistré de « {server} ».',
  refusedSubject: 'Le serveur « {server} » est refusé par la politique de sortie',
  refusedLine: 'L’adresse de « {server} » ne fait pas partie des cibles autorisées.',
  onlineSubject: 'Le serveur « {server} » est de nouveau en ligne',
  onlineLine: 'Le serveur « {server} » est de nouveau joignable.',
  onlineLineAfter: 'Le serveur « {server} » est de nouveau joignable après {down}.',
  onlineFlaps: '{flaps, plural, one {Il est retombé # fois entre-temps (regroupé ici).} other {Il est retombé # fois entre-temps (regroupé ici).}}',
  actionSubject: '{actor} : {action} sur {guest}',
  actionLine: '{actor} a exécuté « {action} » sur {guest} du serveur « {server} ».',
  consoleSubject: '{actor} a ouvert la console de {guest}',
  consoleLine: '{actor} a ouvert une console {viewOnly, select, yes {en lecture seule } other {}}sur {guest} du serveur « {server} »{shared, select, yes {, via un lien de partage} other {}}.',
  membersSubject: 'Membres modifiés : {change}',
  membersLine: '{actor} : {change} ({member}).',
  signInSubject: 'Nouvelle connexion à votre compte Nexus',
  signInLine: 'Votre compte a servi à se connecter depuis un navigateur ou une adresse jamais vus auparavant.',
  signInAddress: 'Adresse : {ip}',
  signInBrowser: 'Navigateur : {userAgent}',
  signInAdvice: 'Si ce n’était pas vous, changez votre mot de passe et fermez les autres sessions sur votre page de sécurité.',
  testSubject: 'Message de test de Nexus',
  testLine: 'Ce canal est configuré : Nexus peut le joindre.',
  digestSubject: '{count, plural, one {# alerte de Nexus} other {# alertes de Nexus}}',
  digestLine: '{count, plural, one {# alerte a été retenue (heures calmes ou limite horaire) :} other {# alertes ont été retenues (heures calmes ou limite horaire) :}}',
  digestMore: '… et {count} de plus',
  otherSubject: 'Nexus : {event}',
};

const es: Record<AlertMessageId, string> = {
  someone: 'Alguien',
  aMember: 'un miembro',
  unknown: 'desconocido',
  guest: 'el invitado {vmid}',
  guestNamed: 'el invitado {vmid} ({name})',
  since: 'Desde: {since}',
  reason: 'Motivo: {reason}',
  from: 'Desde la dirección: {ip}',
  offlineSubject: 'El servidor «{server}» está fuera de línea',
  offlineLine: 'Nexus no puede alcanzar el servidor «{server}».',
  tlsSubject: 'El servidor «{server}» presentó otro certificado',
  tlsLine: 'El certificado de «{server}» ya no coincide con la huella fijada.',
  authSubject: 'El servidor «{server}» rechaza el token de API de Nexus',
  authLine: 'Proxmox rechazó el token guardado de «{server}».',
  refusedSubject: 'El servidor «{server}» es rechazado por la política de salida',
  refusedLine: 'La dirección de «{server}» no está entre los destinos permitidos.',
  onlineSubject: 'El servidor «{server}» vuelve a estar en línea',
  onlineLine: 'El servidor «{server}» vuelve a estar accesible.',
  onlineLineAfter: 'El servidor «{server}» vuelve a estar accesible tras {down}.',
  onlineFlaps: '{flaps, plural, one {Entretanto cayó # vez más (agrupado aquí).} other {Entretanto cayó # veces más (agrupado aquí).}}',
  actionSubject: '{actor}: {action} en {guest}',
  actionLine: '{actor} ejecutó «{action}» en {guest} del servidor «{server}».',
  consoleSubject: '{actor} abrió la consola de {guest}',
  consoleLine: '{actor} abrió una consola {viewOnly, select, yes {de solo lectura } other {}}en {guest} del servidor «{server}»{shared, select, yes {, mediante un enlace compartido} other {}}.',
  membersSubject: 'Miembros cambiados: {change}',
  membersLine: '{actor}: {change} ({member}).',
  signInSubject: 'Nuevo inicio de sesión en su cuenta de Nexus',
  signInLine: 'Su cuenta se usó para iniciar sesión desde un navegador o una dirección no vistos antes.',
  signInAddress: 'Dirección: {ip}',
  signInBrowser: 'Navegador: {userAgent}',
  signInAdvice: 'Si no fue usted, cambie su contraseña y cierre las demás sesiones en su página de seguridad.',
  testSubject: 'Mensaje de prueba de Nexus',
  testLine: 'Este canal está configurado: Nexus puede alcanzarlo.',
  digestSubject: '{count, plural, one {# alerta de Nexus} other {# alertas de Nexus}}',
  digestLine: '{count, plural, one {Se retuvo # alerta (horas de silencio o límite por hora):} other {Se retuvieron # alertas (horas de silencio o límite por hora):}}',
  digestMore: '… y {count} más',
  otherSubject: 'Nexus: {event}',
};

export const ALERT_CATALOGS: Record<AlertLanguage, Record<AlertMessageId, string>> = {
  en,
  de,
  fr,
  es,
};

export type { AlertLanguage };

/** The language of a recipient's stored choice (the pseudo-locale and unknowns read English). */
export function alertLanguage(locale: string | null | undefined): AlertLanguage {
  return (ALERT_LANGUAGES as readonly (string | null | undefined)[]).includes(locale) ? (locale as AlertLanguage) : 'en';
}

const cache = new Map<string, IntlMessageFormat>();

/** One message in a language. */
export function alertMessage(language: AlertLanguage | Locale, id: AlertMessageId, values: Record<string, string | number> = {}): string {
  const lang = alertLanguage(language);
  const source = ALERT_CATALOGS[lang][id];
  const key = `${lang}\u0000${id}`;
  let format = cache.get(key);
  if (!format) {
    format = new IntlMessageFormat(source, lang);
    cache.set(key, format);
  }
  return String(format.format(values));
}
