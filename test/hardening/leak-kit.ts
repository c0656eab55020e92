// Leak checks for the console hardening tests, which run Nexus, pve-sim and the "browser" in one
// process: sockets (the process's active handles, classified by port: process.getActiveResourcesInfo
// only names types, and the test's HTTP keep-alive connections would blur a plain count; it lists
// no unref'd timers either),
// the timers the console module starts (tracked at creation, since the relay's are unref'd and
// so invisible there), live consoles and the gauge, pve-sim's connections, and the books.
import { Socket } from 'node:net';
import { expect } from 'vitest';
import type { ConsoleEnv } from '../consoles/console-kit';
import { waitUntil } from '../consoles/console-kit';
import { RawWs } from './raw-ws-client';

/** The test's own raw WebSocket clients still connected. */
const clientsOpen = () => [...RawWs.all].filter((ws) => !ws.socket.destroyed).length;

/** Every socket of this process (Nexus, pve-sim and the test's clients all live here). */
function sockets(): Socket[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h): h is Socket => h instanceof Socket);
}

/** Whether `ws` runs a WebSocket on this socket (it tags it with a `websocket` symbol). */
const carriesWebSocket = (s: Socket) => Object.getOwnPropertySymbols(s).some((k) => k.description === 'websocket');

/**
 * The sockets a console can leave behind: both ends of every connection to pve-sim (the API
 * opens one per request, so this count is steady), and WebSocket connections on Nexus's port
 * (consoles; plain HTTP keep-alive connections of the test's clients come and go and are not
 * counted).
 */
export function consoleSockets(env: ConsoleEnv): { toSim: number; websockets: number } {
  const simPort = env.simServer.port;
  const nexusPort = Number(new URL(env.t.url).port);
  const all = sockets();
  return {
    toSim: all.filter((s) => s.remotePort === simPort || s.localPort === simPort).length,
    websockets: all.filter((s) => (s.localPort === nexusPort || s.remotePort === nexusPort) && carriesWebSocket(s))
      .length,
  };
}

interface Tracked {
  timer: NodeJS.Timeout;
  repeat: boolean;
  where: string;
}

/**
 * Records every timer created directly by code under `pathPart` (by its stack) while installed, so a test
 * can ask which of them are still scheduled. Node marks a fired or cleared timer `_destroyed`.
 */
export class TimerTracker {
  private readonly tracked: Tracked[] = [];
  private readonly original = { setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval };

  constructor(private readonly pathPart: string) {}

  install(): void {
    const { pathPart, tracked } = this;
    const wrap = <F extends typeof setTimeout | typeof setInterval>(make: F, repeat: boolean): F =>
      ((...args: Parameters<F>) => {
        const timer = (make as (...a: unknown[]) => NodeJS.Timeout)(...args);
        // The direct caller (frame 0 is "Error", 1 this wrapper): timers that console code
        // starts itself, not those of modules it calls (e.g. the API metrics' flush).
        const caller = (new Error().stack ?? '').split('\n')[2] ?? '';
        if (caller.includes(pathPart)) tracked.push({ timer, repeat, where: caller.trim() });
        return timer;
      }) as F;
    globalThis.setTimeout = wrap(this.original.setTimeout, false);
    globalThis.setInterval = wrap(this.original.setInterval, true);
  }

  uninstall(): void {
    globalThis.setTimeout = this.original.setTimeout;
    globalThis.setInterval = this.original.setInterval;
  }

  /** Where the timers still scheduled were started. */
  pending(): string[] {
    const live = this.tracked.filter((t) => !(t.timer as unknown as { _destroyed: boolean })._destroyed);
    this.tracked.splice(0, this.tracked.length, ...live);
    return live.map((t) => `${t.repeat ? 'interval' : 'timeout'} ${t.where}`);
  }
}

export interface Baseline {
  toSim: number;
  simConnections: number;
}

export function baseline(env: ConsoleEnv): Baseline {
  return { toSim: consoleSockets(env).toSim, simConnections: env.simServer.connectionCount };
}

/** The active-console gauge as /metrics renders it. */
export async function activeConsolesGauge(env: ConsoleEnv): Promise<number> {
  const res = await fetch(`${env.t.url}/metrics`);
  const line = (await res.text()).split('\n').find((l) => l.startsWith('nexus_active_consoles '));
  return Number(line?.split(' ')[1]);
}

/**
 * After a case: Nexus still serves, no console is live (map and gauge), every console row of the
 * case is closed (none consumed and left open), the console module's timers are done, and the
 * sockets — Nexus's and pve-sim's — are back to the baseline.
 */
export async function expectClean(
  env: ConsoleEnv,
  base: Baseline,
  timers: TimerTracker,
  since: number,
  timeoutMs = 5000,
): Promise<void> {
  const health = await fetch(`${env.t.url}/healthz`);
  expect(health.status).toBe(200);
  const consoles = env.t.nexus.services.consoles;
  await waitUntil(() => consoles.liveCount === 0, timeoutMs, 'no live console');
  expect(await activeConsolesGauge(env)).toBe(0);
  const openRows = () =>
    env.t.database.db
      .selectFrom('console_sessions')
      .select(['id', 'consumed_at', 'closed_at', 'close_reason'])
      .where('created_at', '>=', since)
      .where('consumed_at', 'is not', null)
      .where('closed_at', 'is', null)
      .execute();
  await waitUntil(async () => (await openRows()).length === 0, timeoutMs, 'every claimed console row closed');
  await waitUntil(() => timers.pending().length === 0, timeoutMs, 'the console timers to end').catch(() => {
    expect(timers.pending()).toEqual([]);
  });
  const socketsBack = () => {
    const now = consoleSockets(env);
    return now.toSim <= base.toSim && now.websockets === 0 && clientsOpen() === 0;
  };
  await waitUntil(socketsBack, timeoutMs, 'sockets back to the baseline').catch(() => {
    expect({ ...consoleSockets(env), clients: clientsOpen() }).toEqual({
      toSim: base.toSim,
      websockets: 0,
      clients: 0,
    });
  });
  await waitUntil(
    () => env.simServer.connectionCount <= base.simConnections,
    timeoutMs,
    'pve-sim connections back to the baseline',
  ).catch(() => expect(env.simServer.connectionCount).toBe(base.simConnections));
}
