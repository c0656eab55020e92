// pve-sim: a Proxmox VE simulator with the real API's behaviour, a real VNC console and text
// consoles, for tests and demos. See README.md in this folder.
export type { Faults } from './http/faults';
export { type PveSim, type PveSimOptions, startPveSim } from './launcher';
export type { SimTiming } from './model/cluster-state';
export type { GuestType, HaState, SimGuest, SimSnapshot } from './model/sim-guest';
export type { BackupVolume } from './model/storage';
export type { TaskRecord } from './model/tasks';
export { RfbRecorder } from './rfb/index';
export { defaultScenario } from './scenario/default-scenario';
export type { Scenario } from './scenario/scenario.schema';
export type { AddTokenOptions, RequestLogEntry, SimServer } from './sim-server';
export { type TermAuthAttempt, type TermEvent, TermRecorder } from './term/term-recorder';
