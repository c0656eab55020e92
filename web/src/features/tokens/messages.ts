// The API tokens feature's texts (ICU messages, ids `tokens.*`).
import { defineMessage, defineMessages, type MessageTag } from 'react-intl';

export const tk = defineMessages({
  title: { id: 'tokens.title', defaultMessage: 'API tokens' },
  description: { id: 'tokens.description', defaultMessage: 'Personal tokens act as you, with your permissions, for scripts and tools.' },
  newToken: { id: 'tokens.new', defaultMessage: 'New token' },
  csrfNote: { id: 'tokens.csrfNote', defaultMessage: 'Tokens need no CSRF header; revoke any token you no longer use. Changing your password revokes them all unless you choose to keep them.' },
  usingApi: { id: 'tokens.usingApi', defaultMessage: 'Using the API' },
  none: { id: 'tokens.empty', defaultMessage: 'No tokens' },
  noneHint: { id: 'tokens.emptyHint', defaultMessage: 'Create one to use the Nexus API from a script.' },
  name: { id: 'tokens.column.name', defaultMessage: 'Name' },
  prefix: { id: 'tokens.column.prefix', defaultMessage: 'Prefix' },
  scopes: { id: 'tokens.column.scopes', defaultMessage: 'Scopes' },
  created: { id: 'tokens.column.created', defaultMessage: 'Created' },
  lastUsed: { id: 'tokens.column.lastUsed', defaultMessage: 'Last used' },
  expires: { id: 'tokens.column.expires', defaultMessage: 'Expires' },
  never: { id: 'tokens.never', defaultMessage: 'never' },
  createdTitle: { id: 'tokens.createdTitle', defaultMessage: 'Token created' },
  newTitle: { id: 'tokens.newTitle', defaultMessage: 'New API token' },
  copyNow: { id: 'tokens.copyNow', defaultMessage: 'Copy it now: it is shown only this once.' },
  sendAs: { id: 'tokens.sendAs', defaultMessage: 'Send it as "Authorization: Bearer \'<token>\'".' },
  create: { id: 'tokens.create', defaultMessage: 'Create token' },
  copy: { id: 'tokens.copy', defaultMessage: 'Copy token' },
  done: { id: 'tokens.done', defaultMessage: 'Done' },
  nameHint: { id: 'tokens.nameHint', defaultMessage: 'What uses it, e.g. “monitoring script”.' },
  days: { id: 'tokens.days', defaultMessage: 'Expires after (days)' },
  daysHint: { id: 'tokens.daysHint', defaultMessage: '0 for a token that never expires.' },
  mayDo: { id: 'tokens.mayDo', defaultMessage: 'What it may do' },
  neverMore: { id: 'tokens.neverMore', defaultMessage: 'Never more than your role allows. No token can manage tokens, change your account or manage users.' },
  scopeRead: { id: 'tokens.scope.read', defaultMessage: 'Read: lists, status, charts and the audit log your role can see (GET requests).' },
  scopeOperate: { id: 'tokens.scope.operate', defaultMessage: 'Operate: changes your role allows, such as power actions, servers, members and settings.' },
  scopeConsole: { id: 'tokens.scope.console', defaultMessage: 'Console: open guest consoles.' },
});

export const revokeName = defineMessage<{ name: string }>({ id: 'tokens.revokeName', defaultMessage: 'Revoke {name}' });
export const openApi = defineMessage<{ link: MessageTag }>({ id: 'tokens.openApi', defaultMessage: 'Send the token as a Bearer header. Every route, its parameters and answers are described in the <link>OpenAPI document</link> (open it in Swagger UI, Postman, or generate a client from it).' });
export const scopesExplained = defineMessage<{ b: MessageTag; envelope: string }>({ id: 'tokens.scopesExplained', defaultMessage: 'Scopes narrow what a token may do: <b>read</b> (GET), <b>operate</b> (changes, power actions), <b>console</b> (open consoles). Errors come as {envelope}.' });

export const revokeTokenText = defineMessages({
  title: { id: 'tokens.revokeQuestion', defaultMessage: 'Revoke “{name}”?' },
  description: { id: 'tokens.revokeDescription', defaultMessage: 'Anything using this token stops working at once.' },
  confirm: { id: 'tokens.revoke', defaultMessage: 'Revoke' },
});
