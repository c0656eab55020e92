// The messages between the consoles service and its relay workers (relay-pool.ts ⇄
// relay-worker.ts), over Node's IPC channel with structured-clone serialisation. A console's
// browser socket travels with `open` (before the WebSocket handshake, which the worker answers);
// the worker asks the service for what needs the database or Proxmox's API (the vncproxy grant,
// why Proxmox closed) and reports what the books need. Nothing here is a secret to the worker,
// which runs the same code as the service (a recording's file key included); nothing of it
// reaches a browser or a log.
import type { PveParams } from '../../proxmox/index';
import type { ProxmoxTarget } from '../../proxmox/proxmox-client';
import type { RecordingSpec } from '../recordings/recording-writer';
import type { CloseReason, EstablishedInfo, RelayResult, RelayTuning } from './console-relay';

/** How the worker opens Proxmox's console WebSocket itself: the server's connection settings
 * (token and TLS policy included) with the path and query vncproxy/termproxy answered — or, for
 * test and benchmark stand-ins only, a plain URL. */
export type UpstreamSpec =
  | { kind: 'proxmox'; target: ProxmoxTarget; path: string; query: PveParams }
  | { kind: 'url'; url: string };

export type RelayKind = 'vnc' | 'terminal' | 'shell';

/** The upgrade request as the worker's `ws` needs it to answer the handshake. */
export interface UpgradeRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface RelayWorkerInit {
  /** The operator's egress policy (NEXUS_ALLOWED_TARGETS), for every dial the worker makes. */
  allowedTargets: ProxmoxTarget['allowedTargets'];
}

export type ToWorker =
  | { t: 'init'; init: RelayWorkerInit }
  | {
      t: 'open';
      id: string;
      kind: RelayKind;
      upgrade: UpgradeRequest;
      options: {
        viewOnly: boolean;
        idleTimeoutMs: number;
        reattachWindowMs: number;
        tuning: Partial<RelayTuning>;
        /** The worker writes the recording itself (the file key travels with it). */
        record?: RecordingSpec;
      };
    }
  | { t: 'grant'; id: string; grant: { password: string; spec: UpstreamSpec } | { failed: CloseReason } }
  | { t: 'explained'; id: string; close: CloseReason | null }
  | { t: 'close'; id: string; reason: CloseReason }
  | { t: 'reattach'; id: string; upgrade: UpgradeRequest };

export interface RelayStats {
  bytesUp: number;
  bytesDown: number;
  droppedInput: number;
  established: boolean;
}

export type FromWorker =
  | { t: 'ready' }
  | { t: 'grant'; id: string }
  | { t: 'established'; id: string; info: EstablishedInfo }
  | { t: 'detached'; id: string }
  | { t: 'reattached'; id: string; detachedMs: number }
  | { t: 'explain'; id: string; abnormal: boolean }
  | { t: 'closed'; id: string; result: RelayResult }
  | { t: 'stats'; stats: [string, RelayStats][] };
