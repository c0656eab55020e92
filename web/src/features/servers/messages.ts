// The servers feature's texts (ICU messages, ids `servers.*`).
import { defineMessage, defineMessages, type MessageTag } from 'react-intl';

export const m = defineMessages({
  // The servers page and the server page's route.
  pageTitle: { id: 'servers.pageTitle', defaultMessage: 'Servers' },
  pageDescription: { id: 'servers.pageDescription', defaultMessage: 'Proxmox VE servers and clusters registered in this tenant.' },
  exportCsv: { id: 'servers.exportCsv', defaultMessage: 'Export CSV' },
  importCsv: { id: 'servers.importCsv', defaultMessage: 'Import CSV' },
  addServer: { id: 'servers.addServer', defaultMessage: 'Add server' },
  addAServer: { id: 'servers.addAServer', defaultMessage: 'Add a server' },
  notFound: { id: 'servers.notFound', defaultMessage: 'Server not found' },
  allServers: { id: 'servers.allServers', defaultMessage: 'All servers' },

  // The list, the dashboard's cards.
  unavailable: { id: 'servers.unavailable', defaultMessage: 'Server management is not available on this Nexus version yet.' },
  loadFailed: { id: 'servers.loadFailed', defaultMessage: 'Could not load servers' },
  emptyTitle: { id: 'servers.emptyTitle', defaultMessage: 'No servers yet' },
  emptyDashboard: { id: 'servers.emptyDashboard', defaultMessage: 'Register a Proxmox VE server to see its guests here.' },
  emptyList: { id: 'servers.emptyList', defaultMessage: 'Add a server with an API token (Datacenter → Permissions → API Tokens), or import a CSV.' },
  cardResponse: { id: 'servers.card.response', defaultMessage: 'Response' },
  cardSuccess: { id: 'servers.card.success', defaultMessage: 'Success' },
  columnServer: { id: 'servers.column.server', defaultMessage: 'Server' },
  columnStatus: { id: 'servers.column.status', defaultMessage: 'Status' },
  columnResponse: { id: 'servers.column.response', defaultMessage: 'Response' },
  columnSuccess: { id: 'servers.column.success', defaultMessage: 'Success 24 h' },
  columnTls: { id: 'servers.column.tls', defaultMessage: 'TLS' },
  columnChecked: { id: 'servers.column.checked', defaultMessage: 'Checked' },
  inactive: { id: 'servers.inactive', defaultMessage: 'inactive' },
  tlsPinned: { id: 'servers.tlsMode.pinned', defaultMessage: 'pinned' },
  tlsCa: { id: 'servers.tlsMode.ca', defaultMessage: 'ca' },
  tlsInsecure: { id: 'servers.tlsMode.insecure', defaultMessage: 'insecure' },

  // One server's page.
  back: { id: 'servers.back', defaultMessage: 'Servers' },
  testConnection: { id: 'servers.testConnection', defaultMessage: 'Test connection' },
  edit: { id: 'servers.edit', defaultMessage: 'Edit' },
  connectivityTest: { id: 'servers.connectivityTest', defaultMessage: 'Connectivity test' },
  testFailed: { id: 'servers.testFailed', defaultMessage: 'Test failed' },
  last24Hours: { id: 'servers.last24Hours', defaultMessage: 'Last 24 hours' },
  guests: { id: 'servers.guests', defaultMessage: 'Guests' },
  guestsFailed: { id: 'servers.guestsFailed', defaultMessage: 'Could not load guests' },

  // The health card.
  health: { id: 'servers.health.title', defaultMessage: 'Health' },
  averageResponse: { id: 'servers.health.averageResponse', defaultMessage: 'Average response' },
  success24h: { id: 'servers.health.success', defaultMessage: 'Success 24 h' },
  lastCheck: { id: 'servers.health.lastCheck', defaultMessage: 'Last check' },
  tls: { id: 'servers.health.tls', defaultMessage: 'TLS' },
  fingerprint: { id: 'servers.health.fingerprint', defaultMessage: 'Fingerprint' },
  token: { id: 'servers.health.token', defaultMessage: 'Token' },
  timeout: { id: 'servers.health.timeout', defaultMessage: 'Timeout' },
  added: { id: 'servers.health.added', defaultMessage: 'Added' },
  notVerified: { id: 'servers.health.notVerified', defaultMessage: 'Certificates are not verified for this server.' },

  // The 24 h chart.
  noChecks: { id: 'servers.chart.noChecks', defaultMessage: 'No checks yet' },
  noChecksDescription: { id: 'servers.chart.noChecksDescription', defaultMessage: 'Health checks appear here hour by hour.' },
  chartLabel: { id: 'servers.chart.label', defaultMessage: 'Success rate and response time over the last 24 hours' },
  seriesSuccess: { id: 'servers.chart.successRate', defaultMessage: 'Success rate (%)' },
  seriesResponse: { id: 'servers.chart.avgResponse', defaultMessage: 'Avg response (ms)' },
  noMetrics: { id: 'servers.chart.noMetrics', defaultMessage: 'No metrics yet' },
  metricsFailed: { id: 'servers.chart.failed', defaultMessage: 'Could not load metrics' },

  // Nodes and storage.
  nodes: { id: 'servers.nodes.title', defaultMessage: 'Nodes' },
  nodesUnavailable: { id: 'servers.nodes.unavailable', defaultMessage: 'Nodes unavailable' },
  columnNode: { id: 'servers.nodes.column.node', defaultMessage: 'Node' },
  columnCpu: { id: 'servers.nodes.column.cpu', defaultMessage: 'CPU' },
  columnMemory: { id: 'servers.nodes.column.memory', defaultMessage: 'Memory' },
  columnUptime: { id: 'servers.nodes.column.uptime', defaultMessage: 'Uptime' },
  columnVersion: { id: 'servers.nodes.column.version', defaultMessage: 'Version' },
  shell: { id: 'servers.nodes.shell', defaultMessage: 'Shell' },
  shellTitle: { id: 'servers.nodes.shellTitle', defaultMessage: 'A shell on this Proxmox node (audited)' },
  storage: { id: 'servers.storage.title', defaultMessage: 'Storage' },
  storagesUnavailable: { id: 'servers.storage.unavailable', defaultMessage: 'Storages unavailable' },
  columnStorage: { id: 'servers.storage.column.storage', defaultMessage: 'Storage' },
  columnStorageNode: { id: 'servers.storage.column.node', defaultMessage: 'Node' },
  columnUsage: { id: 'servers.storage.column.usage', defaultMessage: 'Usage' },
  columnHolds: { id: 'servers.storage.column.holds', defaultMessage: 'Holds' },
  storageInactive: { id: 'servers.storage.inactive', defaultMessage: 'inactive' },

  // A connectivity test's result.
  connectionWorks: { id: 'servers.test.works', defaultMessage: 'Connection works' },
  latency: { id: 'servers.test.latency', defaultMessage: 'Latency' },
  guestsVisible: { id: 'servers.test.guestsVisible', defaultMessage: 'Guests visible' },
  certificate: { id: 'servers.test.certificate', defaultMessage: 'Certificate' },
  tokenPermissions: { id: 'servers.test.tokenPermissions', defaultMessage: 'Token permissions' },
  allowed: { id: 'servers.test.allowed', defaultMessage: 'allowed' },
  missing: { id: 'servers.test.missing', defaultMessage: 'missing' },
  diagnosis: { id: 'servers.test.diagnosis', defaultMessage: 'Diagnosis' },
  rightListGuests: { id: 'servers.right.listGuests', defaultMessage: 'List guests (VM.Audit)' },
  rightPower: { id: 'servers.right.power', defaultMessage: 'Power actions (VM.PowerMgmt)' },
  rightConsole: { id: 'servers.right.console', defaultMessage: 'Console (VM.Console)' },
  rightNodeAudit: { id: 'servers.right.nodeAudit', defaultMessage: 'Node figures (Sys.Audit)' },
  rightNodeShell: { id: 'servers.right.nodeShell', defaultMessage: 'Node shells (Sys.Console on /nodes)' },

  // CSV import.
  importTitle: { id: 'servers.import.title', defaultMessage: 'Import servers from CSV' },
  csv: { id: 'servers.import.csv', defaultMessage: 'CSV' },
  chooseFile: { id: 'servers.import.chooseFile', defaultMessage: 'Choose a file' },
  importFailed: { id: 'servers.import.failed', defaultMessage: 'Import failed' },
  dryRun: { id: 'servers.import.dryRun', defaultMessage: 'Dry run' },
  columnLine: { id: 'servers.import.column.line', defaultMessage: 'Line' },
  columnError: { id: 'servers.import.column.error', defaultMessage: 'Error' },
  preview: { id: 'servers.import.preview', defaultMessage: 'Preview' },
  import: { id: 'servers.import.import', defaultMessage: 'Import' },

  // Pinned TLS: the certificate probe.
  fetchCertificate: { id: 'servers.pin.fetch', defaultMessage: 'Fetch certificate' },
  fetchExplain: { id: 'servers.pin.fetchExplain', defaultMessage: 'Nexus connects once to read the certificate the server presents.' },
  fetchFailed: { id: 'servers.pin.fetchFailed', defaultMessage: 'Could not read the certificate' },
  subject: { id: 'servers.pin.subject', defaultMessage: 'Subject' },
  issuer: { id: 'servers.pin.issuer', defaultMessage: 'Issuer' },
  valid: { id: 'servers.pin.valid', defaultMessage: 'Valid' },
  names: { id: 'servers.pin.names', defaultMessage: 'Names' },
  signedBy: { id: 'servers.pin.signedBy', defaultMessage: 'Signed by' },
  selfSigned: { id: 'servers.pin.selfSigned', defaultMessage: 'itself (self-signed, as Proxmox installs it)' },
  signedByCa: { id: 'servers.pin.signedByCa', defaultMessage: 'a certificate authority' },
  fingerprintLabel: { id: 'servers.pin.fingerprint', defaultMessage: 'SHA-256 fingerprint' },
  fingerprintInvalid: { id: 'servers.pin.fingerprintInvalid', defaultMessage: 'Expected 32 bytes of hex, AA:BB:…' },
  pinUnchanged: { id: 'servers.pin.unchanged', defaultMessage: 'Pinned fingerprint unchanged.' },

  // The add/edit form.
  tlsModePinned: { id: 'servers.form.tls.pinned', defaultMessage: 'Pinned fingerprint (trust on first use)' },
  tlsModeCa: { id: 'servers.form.tls.ca', defaultMessage: 'Custom CA certificate' },
  tlsModeInsecure: { id: 'servers.form.tls.insecure', defaultMessage: 'Insecure: no verification' },
  addTitle: { id: 'servers.form.addTitle', defaultMessage: 'Add a Proxmox VE server' },
  editDescription: { id: 'servers.form.editDescription', defaultMessage: 'Health checks continue with the new settings. The token secret is encrypted and never shown again.' },
  addDescription: { id: 'servers.form.addDescription', defaultMessage: 'Nexus checks the token and the certificate before saving. The token secret is encrypted and never shown again.' },
  formLabel: { id: 'servers.form.label', defaultMessage: 'Server' },
  checkFailed: { id: 'servers.form.checkFailed', defaultMessage: 'The check failed: not saved' },
  saveAnywayHint: { id: 'servers.form.saveAnywayHint', defaultMessage: 'If the server is down for maintenance, you can save it anyway; its status shows the problem until it is fixed.' },
  notSaved: { id: 'servers.form.notSaved', defaultMessage: 'Not saved' },
  name: { id: 'servers.form.name', defaultMessage: 'Name' },
  host: { id: 'servers.form.host', defaultMessage: 'Host' },
  port: { id: 'servers.form.port', defaultMessage: 'Port' },
  apiToken: { id: 'servers.form.apiToken', defaultMessage: 'API token' },
  tokenNeeded: { id: 'servers.form.tokenNeeded', defaultMessage: 'Required: the new address or certificate never gets the stored token; enter it again.' },
  tokenKeep: { id: 'servers.form.tokenKeep', defaultMessage: 'Leave empty to keep the stored token.' },
  tokenUnchanged: { id: 'servers.form.tokenUnchanged', defaultMessage: 'unchanged' },
  tlsVerification: { id: 'servers.form.tlsVerification', defaultMessage: 'TLS verification' },
  connectionTimeout: { id: 'servers.form.connectionTimeout', defaultMessage: 'Connection timeout (ms)' },
  caCertificate: { id: 'servers.form.caCertificate', defaultMessage: 'CA certificate (PEM)' },
  caKeep: { id: 'servers.form.caKeep', defaultMessage: 'Leave empty to keep the stored CA.' },
  caHint: { id: 'servers.form.caHint', defaultMessage: 'The certificate of the CA that signed the server’s certificate.' },
  noVerification: { id: 'servers.form.noVerification', defaultMessage: 'No certificate verification' },
  noVerificationWarning: { id: 'servers.form.noVerificationWarning', defaultMessage: 'Anyone on the network path could impersonate this server and capture its token. Use it only on a trusted link; it is recorded in the audit log.' },
  useTailscale: { id: 'servers.form.useTailscale', defaultMessage: 'Reach it through Tailscale' },
  tailscaleHostname: { id: 'servers.form.tailscaleHostname', defaultMessage: 'Tailscale hostname' },
  tailscaleHint: { id: 'servers.form.tailscaleHint', defaultMessage: 'MagicDNS name; the Nexus host must run tailscaled.' },
  active: { id: 'servers.form.active', defaultMessage: 'Active (checked and listed)' },
  pinFirst: { id: 'servers.form.pinFirst', defaultMessage: 'Fetch and confirm the certificate fingerprint to save a pinned server.' },
  cancel: { id: 'servers.form.cancel', defaultMessage: 'Cancel' },
  saveAnyway: { id: 'servers.form.saveAnyway', defaultMessage: 'Save anyway' },
  saving: { id: 'servers.form.saving', defaultMessage: 'Saving…' },
  checking: { id: 'servers.form.checking', defaultMessage: 'Checking…' },
  saveServer: { id: 'servers.form.saveServer', defaultMessage: 'Save server' },
  checkAgain: { id: 'servers.form.checkAgain', defaultMessage: 'Check again' },
});

// The list and the server page.
export const editName = defineMessage<{ name: string }>({ id: 'servers.editName', defaultMessage: 'Edit {name}' });
export const deleteName = defineMessage<{ name: string }>({ id: 'servers.deleteName', defaultMessage: 'Delete {name}' });
export const viaTailscaleShort = defineMessage<{ hostname: string }>({ id: 'servers.viaTailscaleShort', defaultMessage: '{hostname} (Tailscale)' });
export const viaTailscale = defineMessage<{ address: string; hostname: string }>({ id: 'servers.viaTailscale', defaultMessage: '{address} via Tailscale ({hostname})' });

// Problem banners: the server's name links to its page.
export const problem = defineMessage<{ name: string; status: string; link: MessageTag }>({
  id: 'servers.problem',
  defaultMessage: '<link>{name}</link> {status, select, auth_error {refuses the API token} tls_error {presented an unexpected TLS certificate} refused {is at an address the operator’s egress policy refuses} degraded {is degraded} other {unreachable}}',
});
export const problemSince = defineMessage<{ name: string; status: string; time: string; link: MessageTag }>({
  id: 'servers.problemSince',
  defaultMessage: '<link>{name}</link> {status, select, auth_error {refuses the API token} tls_error {presented an unexpected TLS certificate} refused {is at an address the operator’s egress policy refuses} degraded {is degraded} other {unreachable}} since {time}',
});
export const guestsUnlisted = defineMessage<{ name: string; link: MessageTag }>({ id: 'servers.problem.guestsUnlisted', defaultMessage: '<link>{name}</link> could not list its guests' });
export const lowSuccessRate = defineMessage<{ name: string; rate: number; link: MessageTag }>({ id: 'servers.problem.lowSuccessRate', defaultMessage: '<link>{name}</link> success rate {rate}% over 24 h' });

// Nodes and storage.
export const nodeTitle = defineMessage<{ node: string }>({ id: 'servers.storage.nodeTitle', defaultMessage: 'Node {node}' });
export const storageShared = defineMessage<{ type: string }>({ id: 'servers.storage.shared', defaultMessage: '{type} · shared' });
export const usageOf = defineMessage<{ used: string; total: string }>({ id: 'servers.storage.usageOf', defaultMessage: '{used} of {total}' });

// A connectivity test's result.
export const connectionFailed = defineMessage<{ status: string }>({ id: 'servers.test.failed', defaultMessage: 'Connection failed: {status}' });
export const proxmoxVersion = defineMessage<{ version: string }>({ id: 'servers.test.version', defaultMessage: 'Proxmox VE {version}' });
export const proxmoxVersionRelease = defineMessage<{ version: string; release: string }>({ id: 'servers.test.versionRelease', defaultMessage: 'Proxmox VE {version} ({release})' });
export const pinMatches = defineMessage<{ fingerprint: string }>({ id: 'servers.test.pinMatches', defaultMessage: '{fingerprint} (matches the pin)' });
export const pinMismatch = defineMessage<{ fingerprint: string }>({ id: 'servers.test.pinMismatch', defaultMessage: '{fingerprint} (does NOT match the pin)' });

// CSV import.
export const importDescription = defineMessage<{ columns: string; code: MessageTag }>({ id: 'servers.import.description', defaultMessage: 'Header row with the columns <code>{columns}</code>. Preview first: nothing is created until you import.' });
export const imported = defineMessage<{ count: number }>({ id: 'servers.import.imported', defaultMessage: '{count, plural, other {Imported # server(s)}}' });
export const linesSkipped = defineMessage<{ count: number }>({ id: 'servers.import.linesSkipped', defaultMessage: '{count, plural, other {# line(s) skipped}}' });
export const dryRunClean = defineMessage<{ created: number }>({ id: 'servers.import.dryRunClean', defaultMessage: '{created, plural, other {# server(s) would be created}}; no errors.' });
export const dryRunErrors = defineMessage<{ created: number; errors: number }>({ id: 'servers.import.dryRunErrors', defaultMessage: '{created, plural, other {# server(s) would be created}}; {errors, plural, other {# line(s) have errors and would be skipped.}}' });
export const dryRunNames = defineMessage<{ summary: string; names: string }>({ id: 'servers.import.dryRunNames', defaultMessage: '{summary} ({names})' });
export const importCount = defineMessage<{ count: number }>({ id: 'servers.import.importCount', defaultMessage: 'Import {count}' });

// Pinned TLS.
export const validRange = defineMessage<{ from: string; to: string }>({ id: 'servers.pin.validRange', defaultMessage: '{from} – {to}' });
export const trustFingerprint = defineMessage<{ code: MessageTag }>({ id: 'servers.pin.trust', defaultMessage: 'I compared this fingerprint with the one on the server (Datacenter → node → System → Certificates, or <code>pvenode cert info</code>) and trust it.' });

// The add/edit form.
export const saved = defineMessage<{ name: string }>({ id: 'servers.form.saved', defaultMessage: 'Saved {name}' });
export const addedName = defineMessage<{ name: string }>({ id: 'servers.form.added', defaultMessage: 'Added {name}' });
export const tokenFormat = defineMessage<{ format: string; example: string }>({ id: 'servers.form.tokenFormat', defaultMessage: '{format}, e.g. {example}' });
export const tokenInvalid = defineMessage<{ format: string; example: string }>({ id: 'servers.form.tokenInvalid', defaultMessage: 'The token must look like {format}, e.g. {example}' });
export const tokenUnchangedId = defineMessage<{ tokenId: string }>({ id: 'servers.form.tokenUnchangedId', defaultMessage: 'unchanged ({tokenId})' });

export const deleteServerText = defineMessages({
  description: { id: 'servers.deleteDescription', defaultMessage: 'Its stored token is destroyed and its consoles close. Guests on it disappear from Nexus (nothing changes on Proxmox).' },
  confirm: { id: 'servers.deleteConfirm', defaultMessage: 'Delete server' },
});
