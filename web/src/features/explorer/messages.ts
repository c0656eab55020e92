// The API explorer's texts (ICU messages, ids `explorer.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const ex = defineMessages({
  writeDescription: { id: 'explorer.writeDescription', defaultMessage: 'Read and write; writes are audited. Ticket-minting and in-guest endpoints are never relayed.' },
  readDescription: { id: 'explorer.readDescription', defaultMessage: 'Read-only: status, configuration, RRD data and tasks of this tenant’s servers.' },
  server: { id: 'explorer.server', defaultMessage: 'Server' },
  noServers: { id: 'explorer.noServers', defaultMessage: 'No servers' },
  noServersHint: { id: 'explorer.noServersHint', defaultMessage: 'Add a server to explore its API.' },
  result: { id: 'explorer.result', defaultMessage: 'Result' },
  pickPath: { id: 'explorer.pickPath', defaultMessage: 'Pick a path in the tree or send a request.' },
  writeWarning: { id: 'explorer.writeWarning', defaultMessage: 'This changes the Proxmox server directly. The request is recorded in the audit log.' },
  request: { id: 'explorer.request', defaultMessage: 'Request' },
  method: { id: 'explorer.method', defaultMessage: 'Method' },
  path: { id: 'explorer.path', defaultMessage: 'Path' },
  send: { id: 'explorer.send', defaultMessage: 'Send' },
  params: { id: 'explorer.params', defaultMessage: 'Parameters (key=value per line)' },
  notRelayedShort: { id: 'explorer.notRelayedShort', defaultMessage: '(not relayed)' },
  notRelayed: { id: 'explorer.notRelayed', defaultMessage: 'not relayed by Nexus' },
  noSubPaths: { id: 'explorer.noSubPaths', defaultMessage: 'no sub-paths' },
  paths: { id: 'explorer.paths', defaultMessage: 'Proxmox API paths' },
  neverRelays: { id: 'explorer.neverRelays', defaultMessage: 'Nexus never relays this endpoint' },
  notForRole: { id: 'explorer.notForRole', defaultMessage: 'Not available to your role' },
  unverified: { id: 'explorer.unverified', defaultMessage: 'This server has not proven to be Proxmox yet' },
  failed: { id: 'explorer.failed', defaultMessage: 'Request failed' },
});

export const explorerPage = defineMessages({
  title: { id: 'explorer.title', defaultMessage: 'Proxmox API explorer' },
  noAccess: { id: 'explorer.restricted', defaultMessage: 'Members restricted to assigned guests have no API explorer.' },
});

export const serverWithStatus = defineMessage<{ name: string; status: string }>({ id: 'explorer.serverWithStatus', defaultMessage: '{name} ({status})' });
export const notRelaying = defineMessage<{ what: string; reason: string }>({ id: 'explorer.notRelaying', defaultMessage: 'Nexus does not relay {what}. {reason}' });
export const sendMethod = defineMessage<{ method: string }>({ id: 'explorer.sendMethod', defaultMessage: 'Send {method}' });
export const collapse = defineMessage<{ label: string }>({ id: 'explorer.collapse', defaultMessage: 'Collapse {label}' });
export const expand = defineMessage<{ label: string }>({ id: 'explorer.expand', defaultMessage: 'Expand {label}' });
