// The guests feature's texts (ICU messages, ids `vms.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const vm = defineMessages({
  allTypes: { id: 'vms.filter.allTypes', defaultMessage: 'VMs and containers' },
  qemu: { id: 'vms.filter.qemu', defaultMessage: 'VMs (QEMU)' },
  lxc: { id: 'vms.filter.lxc', defaultMessage: 'Containers (LXC)' },
  sortName: { id: 'vms.sort.name', defaultMessage: 'Sort: name' },
  sortVmid: { id: 'vms.sort.vmid', defaultMessage: 'Sort: ID' },
  sortStatus: { id: 'vms.sort.status', defaultMessage: 'Sort: status' },
  sortCpu: { id: 'vms.sort.cpu', defaultMessage: 'Sort: CPU' },
  sortMem: { id: 'vms.sort.mem', defaultMessage: 'Sort: memory' },
  sortServer: { id: 'vms.sort.server', defaultMessage: 'Sort: server' },
  tableView: { id: 'vms.view.table', defaultMessage: 'Table view' },
  cardView: { id: 'vms.view.cards', defaultMessage: 'Card view' },
  view: { id: 'vms.view', defaultMessage: 'View' },
  search: { id: 'vms.search', defaultMessage: 'Search guests' },
  searchPlaceholder: { id: 'vms.searchPlaceholder', defaultMessage: 'Search name, ID, node, tag…' },
  byServer: { id: 'vms.filter.byServer', defaultMessage: 'Filter by server' },
  allServers: { id: 'vms.filter.allServers', defaultMessage: 'All servers' },
  byStatus: { id: 'vms.filter.byStatus', defaultMessage: 'Filter by status' },
  anyStatus: { id: 'vms.filter.anyStatus', defaultMessage: 'Any status' },
  byType: { id: 'vms.filter.byType', defaultMessage: 'Filter by type' },
  byTag: { id: 'vms.filter.byTag', defaultMessage: 'Filter by tag' },
  anyTag: { id: 'vms.filter.anyTag', defaultMessage: 'Any tag' },
  sortBy: { id: 'vms.sortBy', defaultMessage: 'Sort by' },
  ascending: { id: 'vms.sort.ascending', defaultMessage: 'Sort ascending (click for descending)' },
  descending: { id: 'vms.sort.descending', defaultMessage: 'Sort descending (click for ascending)' },
  noGuests: { id: 'vms.empty.none', defaultMessage: 'No guests yet' },
  noMatch: { id: 'vms.empty.noMatch', defaultMessage: 'No guest matches' },
  noGuestsHint: { id: 'vms.empty.noneHint', defaultMessage: 'Guests appear here once a server answers.' },
  noMatchHint: { id: 'vms.empty.noMatchHint', defaultMessage: 'Change the search or filters.' },
  selectAll: { id: 'vms.selectAll', defaultMessage: 'Select all shown guests' },
  name: { id: 'vms.column.name', defaultMessage: 'Name' },
  status: { id: 'vms.column.status', defaultMessage: 'Status' },
  serverNode: { id: 'vms.column.serverNode', defaultMessage: 'Server / node' },
  cpu: { id: 'vms.column.cpu', defaultMessage: 'CPU' },
  memory: { id: 'vms.column.memory', defaultMessage: 'Memory' },
  disk: { id: 'vms.column.disk', defaultMessage: 'Disk' },
  uptime: { id: 'vms.column.uptime', defaultMessage: 'Uptime' },
  vmShort: { id: 'vms.type.vm', defaultMessage: 'VM' },
  ctShort: { id: 'vms.type.ct', defaultMessage: 'CT' },
  template: { id: 'vms.template', defaultMessage: 'template' },
  confirm: { id: 'vms.confirm', defaultMessage: 'Confirm' },
  dashboard: { id: 'vms.dashboard', defaultMessage: 'Dashboard' },
  // Power actions (one guest, and many).
  start: { id: 'vms.action.start', defaultMessage: 'Start' },
  resume: { id: 'vms.action.resume', defaultMessage: 'Resume' },
  shutdown: { id: 'vms.action.shutdown', defaultMessage: 'Shut down' },
  reboot: { id: 'vms.action.reboot', defaultMessage: 'Reboot' },
  suspend: { id: 'vms.action.suspend', defaultMessage: 'Suspend' },
  stop: { id: 'vms.action.stop', defaultMessage: 'Stop' },
  reset: { id: 'vms.action.reset', defaultMessage: 'Reset' },
  shutdownConfirm: { id: 'vms.action.shutdownConfirm', defaultMessage: 'The guest is asked to shut down cleanly (ACPI / init).' },
  rebootConfirm: { id: 'vms.action.rebootConfirm', defaultMessage: 'The guest is asked to reboot.' },
  stopConfirm: { id: 'vms.action.stopConfirm', defaultMessage: 'The guest is stopped at once, like pulling the power cord. Unsaved data is lost.' },
  resetConfirm: { id: 'vms.action.resetConfirm', defaultMessage: 'The guest is reset at once, like pressing the reset button. Unsaved data is lost.' },
  power: { id: 'vms.action.power', defaultMessage: 'Power' },
  bulkShutdownConfirm: { id: 'vms.bulk.shutdownConfirm', defaultMessage: 'Each guest is asked to shut down cleanly.' },
  bulkRebootConfirm: { id: 'vms.bulk.rebootConfirm', defaultMessage: 'Each guest is asked to reboot.' },
  bulkStopConfirm: { id: 'vms.bulk.stopConfirm', defaultMessage: 'Like pulling the plug: unsaved work in the guests is lost.' },
  bulkToolbar: { id: 'vms.bulk.toolbar', defaultMessage: 'Actions on the selected guests' },
  bulkClear: { id: 'vms.bulk.clear', defaultMessage: 'Clear the selection' },
  bulkWorking: { id: 'vms.bulk.working', defaultMessage: 'Working…' },
  bulkDismiss: { id: 'vms.bulk.dismiss', defaultMessage: 'Dismiss' },
  bulkFailed: { id: 'vms.bulk.failed', defaultMessage: 'failed' },
  // Consoles.
  console: { id: 'vms.console', defaultMessage: 'Console' },
  consoleViewOnly: { id: 'vms.console.viewOnly', defaultMessage: 'View-only console' },
  consoleOpen: { id: 'vms.console.open', defaultMessage: 'Open the console' },
  terminal: { id: 'vms.terminal', defaultMessage: 'Terminal' },
  terminalTitle: { id: 'vms.terminal.title', defaultMessage: 'Text console (copy and paste, your font)' },
  // The guest page.
  nodeOfflineText: { id: 'vms.nodeOfflineText', defaultMessage: 'Proxmox cannot reach the node that holds this guest; its figures are missing.' },
  liveUnavailable: { id: 'vms.liveUnavailable', defaultMessage: 'Live status unavailable' },
  now: { id: 'vms.now', defaultMessage: 'Now' },
  configuration: { id: 'vms.configuration', defaultMessage: 'Configuration' },
  notFound: { id: 'vms.notFound', defaultMessage: 'Guest not found' },
  notFoundHint: { id: 'vms.notFoundHint', defaultMessage: 'It does not exist, or you may not see it.' },
  // Configuration.
  type: { id: 'vms.config.type', defaultMessage: 'Type' },
  qemuType: { id: 'vms.config.qemuType', defaultMessage: 'QEMU/KVM virtual machine' },
  lxcType: { id: 'vms.config.lxcType', defaultMessage: 'LXC container' },
  node: { id: 'vms.config.node', defaultMessage: 'Node' },
  qemuState: { id: 'vms.config.qemuState', defaultMessage: 'QEMU state' },
  vcpus: { id: 'vms.config.vcpus', defaultMessage: 'vCPUs' },
  bootDisk: { id: 'vms.config.bootDisk', defaultMessage: 'Boot disk' },
  agent: { id: 'vms.config.agent', defaultMessage: 'Guest agent' },
  agentOn: { id: 'vms.config.agentOn', defaultMessage: 'enabled' },
  agentOff: { id: 'vms.config.agentOff', defaultMessage: 'off' },
  ha: { id: 'vms.config.ha', defaultMessage: 'High availability' },
  haManaged: { id: 'vms.config.haManaged', defaultMessage: 'managed' },
  pool: { id: 'vms.config.pool', defaultMessage: 'Pool' },
  lock: { id: 'vms.config.lock', defaultMessage: 'Lock' },
  pid: { id: 'vms.config.pid', defaultMessage: 'PID' },
  tags: { id: 'vms.config.tags', defaultMessage: 'Tags' },
  templateLabel: { id: 'vms.config.template', defaultMessage: 'Template' },
  yes: { id: 'vms.config.yes', defaultMessage: 'yes' },
  fetched: { id: 'vms.config.fetched', defaultMessage: 'Fetched' },
  // Network, disks, tasks.
  network: { id: 'vms.network', defaultMessage: 'Network' },
  addressesUnavailable: { id: 'vms.network.unavailable', defaultMessage: 'Addresses unavailable' },
  networkCards: { id: 'vms.network.cards', defaultMessage: 'Network cards' },
  firewall: { id: 'vms.network.firewall', defaultMessage: 'firewall' },
  disks: { id: 'vms.disks', defaultMessage: 'Disks and boot' },
  configUnavailable: { id: 'vms.disks.unavailable', defaultMessage: 'Configuration unavailable' },
  bootOrderDefault: { id: 'vms.disks.bootOrderDefault', defaultMessage: 'Boot order: Proxmox default' },
  startsAtBoot: { id: 'vms.disks.startsAtBoot', defaultMessage: 'starts at boot' },
  protectedSuffix: { id: 'vms.disks.protected', defaultMessage: 'protected' },
  notes: { id: 'vms.notes', defaultMessage: 'Notes' },
  taskLog: { id: 'vms.tasks.log', defaultMessage: 'Task log' },
  taskLogUnreadable: { id: 'vms.tasks.logUnreadable', defaultMessage: 'The log could not be read' },
  tasks: { id: 'vms.tasks', defaultMessage: 'Tasks' },
  tasksUnavailable: { id: 'vms.tasks.unavailable', defaultMessage: 'Task history unavailable' },
  noTasks: { id: 'vms.tasks.none', defaultMessage: 'No tasks yet' },
  task: { id: 'vms.tasks.column.task', defaultMessage: 'Task' },
  started: { id: 'vms.tasks.column.started', defaultMessage: 'Started' },
  by: { id: 'vms.tasks.column.by', defaultMessage: 'By' },
  result: { id: 'vms.tasks.column.result', defaultMessage: 'Result' },
  running: { id: 'vms.tasks.running', defaultMessage: 'running' },
  log: { id: 'vms.tasks.logButton', defaultMessage: 'Log' },
  // Backups.
  backups: { id: 'vms.backups', defaultMessage: 'Backups' },
  backupStarted: { id: 'vms.backups.started', defaultMessage: 'Backup started' },
  backupNotStarted: { id: 'vms.backups.notStarted', defaultMessage: 'No backup started' },
  backUpNow: { id: 'vms.backups.now', defaultMessage: 'Back up now' },
  backupsUnavailable: { id: 'vms.backups.unavailable', defaultMessage: 'Backups unavailable' },
  noBackups: { id: 'vms.backups.none', defaultMessage: 'No backups found' },
  noBackupsHint: { id: 'vms.backups.noneHint', defaultMessage: "On this node's backup storages." },
  made: { id: 'vms.backups.column.made', defaultMessage: 'Made' },
  storage: { id: 'vms.backups.column.storage', defaultMessage: 'Storage' },
  size: { id: 'vms.backups.column.size', defaultMessage: 'Size' },
  backupNotes: { id: 'vms.backups.column.notes', defaultMessage: 'Notes' },
  protectedBadge: { id: 'vms.backups.protected', defaultMessage: 'protected' },
  // Snapshots.
  snapshots: { id: 'vms.snapshots', defaultMessage: 'Snapshots' },
  snapshotsReadOnly: { id: 'vms.snapshots.readOnly', defaultMessage: 'Your role can see the snapshots but not take or restore them.' },
  snapshotName: { id: 'vms.snapshots.name', defaultMessage: 'Name' },
  snapshotNameRule: { id: 'vms.snapshots.nameRule', defaultMessage: 'Start with a letter; letters, digits, - and _ only (2–40).' },
  snapshotDescription: { id: 'vms.snapshots.description', defaultMessage: 'Description (optional)' },
  includeRam: { id: 'vms.snapshots.includeRam', defaultMessage: 'Include the RAM state (the VM resumes exactly where it was)' },
  snapshotsUnavailable: { id: 'vms.snapshots.unavailable', defaultMessage: 'Could not load the snapshots' },
  noSnapshots: { id: 'vms.snapshots.none', defaultMessage: 'No snapshots yet' },
  snapshotTree: { id: 'vms.snapshots.tree', defaultMessage: 'Snapshot tree' },
  ram: { id: 'vms.snapshots.ram', defaultMessage: 'RAM' },
  rollBack: { id: 'vms.snapshots.rollBack', defaultMessage: 'Roll back' },
  delete: { id: 'vms.snapshots.delete', defaultMessage: 'Delete' },
  snapshotNow: { id: 'vms.snapshots.now', defaultMessage: 'Now' },
  runningState: { id: 'vms.snapshots.runningState', defaultMessage: 'the running state' },
  deleteSnapshotDescription: { id: 'vms.snapshots.deleteDescription', defaultMessage: 'The snapshot is removed; the guest itself is not changed.' },
  notRolledBack: { id: 'vms.snapshots.notRolledBack', defaultMessage: 'Not rolled back' },
  notDeleted: { id: 'vms.snapshots.notDeleted', defaultMessage: 'Not deleted' },
  // Resource history.
  history: { id: 'vms.history', defaultMessage: 'Resource history' },
  timeRange: { id: 'vms.history.timeRange', defaultMessage: 'Time range' },
  hour: { id: 'vms.history.hour', defaultMessage: 'Hour' },
  day: { id: 'vms.history.day', defaultMessage: 'Day' },
  week: { id: 'vms.history.week', defaultMessage: 'Week' },
  historyUnavailable: { id: 'vms.history.unavailable', defaultMessage: 'Could not load the history' },
  noHistory: { id: 'vms.history.none', defaultMessage: 'No history yet' },
  cpuChart: { id: 'vms.history.cpu', defaultMessage: 'CPU (%)' },
  cpuSeries: { id: 'vms.history.cpuSeries', defaultMessage: 'CPU %' },
  total: { id: 'vms.history.total', defaultMessage: 'Total' },
  used: { id: 'vms.history.used', defaultMessage: 'Used' },
  networkChart: { id: 'vms.history.network', defaultMessage: 'Network (bytes/s)' },
  netIn: { id: 'vms.history.in', defaultMessage: 'In' },
  netOut: { id: 'vms.history.out', defaultMessage: 'Out' },
  diskChart: { id: 'vms.history.disk', defaultMessage: 'Disk I/O (bytes/s)' },
  diskRead: { id: 'vms.history.read', defaultMessage: 'Read' },
  diskWrite: { id: 'vms.history.write', defaultMessage: 'Write' },
});

export const guestCount = defineMessage<{ shown: number | 'all'; total: number }>({ id: 'vms.count', defaultMessage: '{shown, select, all {{total, plural, one {# guest} other {# guests}}} other {{shown} of {total, plural, one {# guest} other {# guests}}}}' });
export const selectGuest = defineMessage<{ name: string }>({ id: 'vms.select', defaultMessage: 'Select {name}' });
export const upFor = defineMessage<{ time: string }>({ id: 'vms.up', defaultMessage: 'Up {time}' });

export const guestFallback = defineMessage<{ vmid: number }>({ id: 'vms.guest', defaultMessage: 'Guest {vmid}' });

/** One guest's power action, by the action's name (`VmAction`). */
type ActionNamed = { action: string; name: string };
export const actionNamed = defineMessage<ActionNamed>({ id: 'vms.action.named', defaultMessage: '{action, select, start {Start {name}} resume {Resume {name}} shutdown {Shut down {name}} reboot {Reboot {name}} suspend {Suspend {name}} stop {Stop {name}} reset {Reset {name}} other {{name}}}' });
export const actionQuestion = defineMessage<ActionNamed>({ id: 'vms.action.question', defaultMessage: '{action, select, start {Start {name}?} resume {Resume {name}?} shutdown {Shut down {name}?} reboot {Reboot {name}?} suspend {Suspend {name}?} stop {Stop {name}?} reset {Reset {name}?} other {{name}?}}' });
export const actionProgress = defineMessage<ActionNamed>({
  id: 'vms.action.progress',
  defaultMessage: '{action, select, start {Starting {name}…} resume {Resuming {name}…} shutdown {Shutting down {name}…} reboot {Rebooting {name}…} suspend {Suspending {name}…} stop {Stopping {name}…} reset {Resetting {name}…} other {{name}…}}',
});
export const actionFailed = defineMessage<ActionNamed>({
  id: 'vms.action.failed',
  defaultMessage: '{action, select, start {Start {name} failed} resume {Resume {name} failed} shutdown {Shut down {name} failed} reboot {Reboot {name} failed} suspend {Suspend {name} failed} stop {Stop {name} failed} reset {Reset {name} failed} other {{name} failed}}',
});
export const moreActions = defineMessage<{ name: string }>({ id: 'vms.action.more', defaultMessage: 'More actions for {name}' });

// Many guests at once.
export const bulkSelected = defineMessage<{ count: number }>({ id: 'vms.bulk.selected', defaultMessage: '{count} selected' });
export const bulkQuestion = defineMessage<{ action: string; count: number }>({
  id: 'vms.bulk.question',
  defaultMessage:
    '{action, select, start {Start {count, plural, one {# guest} other {# guests}}?} shutdown {Shut down {count, plural, one {# guest} other {# guests}}?} reboot {Reboot {count, plural, one {# guest} other {# guests}}?} stop {Stop {count, plural, one {# guest} other {# guests}}?} other {{count, plural, one {# guest} other {# guests}}?}}',
});
export const bulkToast = defineMessage<{ action: string; ok: number; total: number; failed: number }>({ id: 'vms.bulk.toast', defaultMessage: '{action}: {ok} of {total} started{failed, plural, =0 {} other {, # failed}}' });
export const bulkOutcome = defineMessage<{ action: string; ok: number; total: number }>({ id: 'vms.bulk.outcome', defaultMessage: '{action}: {ok} of {total} started' });
export const bulkGuestStarted = defineMessage<{ name: string }>({ id: 'vms.bulk.guestStarted', defaultMessage: '{name}: task started' });
export const bulkGuestFailed = defineMessage<{ name: string; reason: string }>({ id: 'vms.bulk.guestFailed', defaultMessage: '{name}: {reason}' });
export const bulkGuestFallback = defineMessage<{ vmid: number }>({ id: 'vms.bulk.guest', defaultMessage: 'guest {vmid}' });

// Consoles.
export const terminalOn = defineMessage<{ port: string }>({ id: 'vms.terminal.on', defaultMessage: 'Text console on {port}' });

// The guest page.
export const nodeOffline = defineMessage<{ node: string }>({ id: 'vms.nodeOffline', defaultMessage: 'Node {node} is offline' });
export const uptime = defineMessage<{ time: string }>({ id: 'vms.uptime', defaultMessage: 'Uptime {time}' });
export const cpuOf = defineMessage<{ percent: string; cpus: string }>({ id: 'vms.cpuOf', defaultMessage: '{percent}% of {cpus}' });
export const cpuOfVcpus = defineMessage<{ percent: string; cpus: string }>({ id: 'vms.cpuOfVcpus', defaultMessage: '{percent}% of {cpus} vCPU' });

// Network, disks, tasks.
export const noAddresses = defineMessage<{ reason: string }>({ id: 'vms.network.none', defaultMessage: 'No addresses: {reason}.' });
export const bridge = defineMessage<{ bridge: string }>({ id: 'vms.network.bridge', defaultMessage: 'bridge {bridge}' });
export const vlan = defineMessage<{ vlan: number }>({ id: 'vms.network.vlan', defaultMessage: 'VLAN {vlan}' });
export const ipConfig = defineMessage<{ ip: string }>({ id: 'vms.network.ip', defaultMessage: 'ip {ip}' });
export const bootOrder = defineMessage<{ order: string }>({ id: 'vms.disks.bootOrder', defaultMessage: 'Boot order: {order}' });
export const osType = defineMessage<{ ostype: string }>({ id: 'vms.disks.osType', defaultMessage: 'OS type {ostype}' });
export const logTruncated = defineMessage<{ total: number; shown: number }>({ id: 'vms.tasks.logTruncated', defaultMessage: '… ({total} lines; the first {shown} shown)' });
export const logOf = defineMessage<{ type: string; time: string }>({ id: 'vms.tasks.logOf', defaultMessage: 'Log of {type} at {time}' });

// Backups.
export const storageUnreadable = defineMessage<{ storage: string }>({ id: 'vms.backups.storageUnreadable', defaultMessage: 'Storage {storage} could not be read' });

// Snapshots.
export const takingSnapshot = defineMessage<{ name: string }>({ id: 'vms.snapshots.takingToast', defaultMessage: 'Taking snapshot {name}…' });
export const deleteSnapshot = defineMessage<{ name: string }>({ id: 'vms.snapshots.deleteNamed', defaultMessage: 'Delete snapshot {name}' });
export const deleteSnapshotQuestion = defineMessage<{ name: string }>({ id: 'vms.snapshots.deleteQuestion', defaultMessage: 'Delete snapshot {name}?' });
export const rollBackQuestion = defineMessage<{ name: string }>({ id: 'vms.snapshots.rollBackQuestion', defaultMessage: 'Roll back to {name}?' });
export const rollBackLoss = defineMessage<{ name: string }>({ id: 'vms.snapshots.rollBackLoss', defaultMessage: 'Everything the guest wrote since {name} is lost.' });
export const rollBackLossRam = defineMessage<{ name: string }>({ id: 'vms.snapshots.rollBackLossRam', defaultMessage: 'Everything the guest wrote since {name} is lost. The VM continues from the saved RAM state.' });
export const rollBackLossStop = defineMessage<{ name: string }>({ id: 'vms.snapshots.rollBackLossStop', defaultMessage: 'Everything the guest wrote since {name} is lost. The running guest is stopped.' });
export const rollingBack = defineMessage<{ name: string }>({ id: 'vms.snapshots.rollingBack', defaultMessage: 'Rolling back to {name}…' });
export const deleting = defineMessage<{ name: string }>({ id: 'vms.snapshots.deleting', defaultMessage: 'Deleting {name}…' });

export const takeSnapshotText = defineMessages({
  title: { id: 'vms.snapshots.takeTitle', defaultMessage: 'Take a snapshot' },
  description: { id: 'vms.snapshots.takeDescription', defaultMessage: "The guest's disks (and optionally its memory) as they are now; you can roll back to it later." },
  submit: { id: 'vms.snapshots.take', defaultMessage: 'Take snapshot' },
  pending: { id: 'vms.snapshots.taking', defaultMessage: 'Taking…' },
});
