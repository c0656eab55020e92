// The text console's texts (ICU messages, ids `terminal.*`); what it shares with the graphical
// console (status, reconnect, paste, fullscreen) comes from the console feature's messages.
import { defineMessage, defineMessages } from 'react-intl';

export const m = defineMessages({
  toolbar: { id: 'terminal.toolbar', defaultMessage: 'Terminal' },
  back: { id: 'terminal.back', defaultMessage: 'Back' },
  nodeShell: { id: 'terminal.nodeShell', defaultMessage: 'Node shell' },
  nodeShellTitle: { id: 'terminal.nodeShellTitle', defaultMessage: 'Commands run on the Proxmox node itself, and are audited' },
  copy: { id: 'terminal.copy', defaultMessage: 'Copy' },
  copied: { id: 'terminal.copied', defaultMessage: 'Copied' },
  selectFirst: { id: 'terminal.selectFirst', defaultMessage: 'Select text in the terminal first' },
  copyRefused: { id: 'terminal.copyRefused', defaultMessage: 'The browser did not allow copying' },
  readRefused: { id: 'terminal.readRefused', defaultMessage: 'The browser did not allow reading the clipboard' },
  smaller: { id: 'terminal.smaller', defaultMessage: 'Smaller text' },
  larger: { id: 'terminal.larger', defaultMessage: 'Larger text' },
});

export const nodeName = defineMessage<{ node: string }>({ id: 'terminal.nodeName', defaultMessage: 'Node {node}' });
export const documentTitle = defineMessage<{ name: string }>({ id: 'terminal.documentTitle', defaultMessage: '{name} · terminal · Nexus' });
