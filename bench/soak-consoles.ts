// The chaos soak's live consoles: each slot keeps one console open through Nexus like noVNC would
// (ticket, WebSocket with Origin and cookie, RFB handshake), asks for an update of a small,
// always-changing region every second, types and moves the pointer now and then, closes and
// reopens after a minute or so (so open/close paths run all the time), and reopens after any
// failure. Slots on healthy servers should never fail; slots on the unhealthy ones ("chaos")
// fail by design and only have to fail cleanly.

import type { Rect } from '@common/rfb/rfb-messages';
import { createWebSocketStream, WebSocket } from 'ws';
import { simFrameLayout } from '../pve-sim/rfb/guest-frame';
import { RfbHandshakeError, RfbTestClient } from '../pve-sim/rfb/index';
import { classify, failureSample, GroupStats, jitter, type Outcome, type SoakApi, sleep } from './soak-kit';

export interface ConsoleTarget {
  serverId: string;
  vmid: number;
  chaos: boolean;
}

export interface FleetOptions {
  /** Mean lifetime of a console before it is closed on purpose and reopened. */
  lifetimeMs: number;
  /** Between two update requests of one console. */
  updateEveryMs: number;
}

export interface ConsoleWindow {
  ticket: GroupStats;
  open: GroupStats;
  update: GroupStats;
}

const newWindow = (): ConsoleWindow => ({ ticket: new GroupStats(), open: new GroupStats(), update: new GroupStats() });

/** Counts of one kind of slot (healthy or chaos). */
export class ConsoleCounts {
  opened = 0;
  /** Closed on purpose (lifetime over, soak ending). */
  recycled = 0;
  /** Attempts that never became a live console, by stage and status/code. */
  readonly openFailures = new Map<string, number>();
  /** Live consoles that ended without us asking, by close code. */
  readonly drops = new Map<string, number>();
  /** Update requests that got no answer within 15 s (the console is then dropped). */
  stuck = 0;
  /** Since the start: ticket answers (the 5xx verdict counts these like any other API answer),
   * ticket request to ServerInit, update request to the update applied. */
  readonly total = newWindow();
  /** The same since the last takeWindow(). */
  private window = newWindow();

  add(group: keyof ConsoleWindow, outcome: Outcome, ms: number): void {
    this.total[group].add(outcome, ms);
    this.window[group].add(outcome, ms);
  }

  takeWindow(): ConsoleWindow {
    const w = this.window;
    this.window = newWindow();
    return w;
  }

  get failures(): number {
    let n = this.stuck;
    for (const v of this.openFailures.values()) n += v;
    for (const v of this.drops.values()) n += v;
    return n;
  }
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export class ConsoleFleet {
  readonly healthy = new ConsoleCounts();
  readonly chaos = new ConsoleCounts();
  /** Live consoles per kind. */
  readonly live = { healthy: 0, chaos: 0 };
  /** Failure samples since the last take(). */
  private samples: string[] = [];
  private running = false;
  private slots: Promise<void>[] = [];
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly api: SoakApi,
    private readonly tenantId: string,
    private readonly options: FleetOptions,
  ) {}

  /** Starts one slot per target, spread over `rampMs`. */
  start(targets: ConsoleTarget[], rampMs: number): void {
    this.running = true;
    this.slots = targets.map(async (target, i) => {
      await sleep((rampMs * i) / Math.max(1, targets.length));
      await this.slot(target);
    });
  }

  /** Closes every console and waits until each slot has ended. */
  async stop(): Promise<void> {
    this.running = false;
    for (const ws of this.sockets) ws.close(1000, 'soak over');
    await Promise.all(this.slots);
  }

  takeSamples(): string[] {
    const out = this.samples;
    this.samples = [];
    return out;
  }

  private sample(text: string): void {
    if (this.samples.length < 8) this.samples.push(text);
  }

  private async slot(target: ConsoleTarget): Promise<void> {
    const counts = target.chaos ? this.chaos : this.healthy;
    const kind = target.chaos ? 'chaos' : 'healthy';
    while (this.running) {
      const failed = await this.once(target, counts, kind).catch((err: Error) => {
        // A throw here is the soak's own bug or something unforeseen: a failure all the same.
        bump(counts.openFailures, `unexpected: ${err.message.slice(0, 60)}`);
        this.sample(failureSample(`console ${target.vmid}`, 'soak error', err.stack ?? err.message));
        return true;
      });
      if (!this.running) break;
      await sleep(failed ? jitter(target.chaos ? 3000 : 1000) : jitter(300));
    }
  }

  /** One console from ticket to close; resolves true when it failed. */
  private async once(target: ConsoleTarget, counts: ConsoleCounts, kind: 'healthy' | 'chaos'): Promise<boolean> {
    const path = `/api/tenants/${this.tenantId}/servers/${target.serverId}/vms/${target.vmid}/console`;
    const started = performance.now();
    let ticket: Awaited<ReturnType<SoakApi['call']>>;
    try {
      ticket = await this.api.call('POST', path);
    } catch (err) {
      counts.add('ticket', 'transport', performance.now() - started);
      bump(counts.openFailures, 'ticket: no answer');
      this.sample(failureSample(`POST console ${target.vmid}`, 'no answer', (err as Error).message));
      return true;
    }
    const outcome = classify(ticket.status, ticket.code);
    counts.add('ticket', outcome, ticket.ms);
    if (ticket.status !== 201) {
      bump(counts.openFailures, `ticket ${ticket.status} ${ticket.code ?? ''}`.trim());
      if (outcome === 'nexus5xx' || outcome === 'other4xx' || !target.chaos) {
        this.sample(failureSample(`POST console ${target.vmid} (${kind})`, ticket.status, ticket.text));
      }
      return true;
    }
    if (!this.running) return false;

    const wsPath = (ticket.body as { wsPath: string }).wsPath;
    const ws = new WebSocket(this.api.url.replace(/^http/, 'ws') + wsPath, ['binary'], {
      headers: { cookie: this.api.cookie, origin: this.api.origin },
      perMessageDeflate: false,
    });
    this.sockets.add(ws);
    let closedByUs = false;
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once('close', (code, reason) => {
        this.sockets.delete(ws);
        resolve({ code, reason: reason.toString() });
      }),
    );
    const stream = createWebSocketStream(ws);
    stream.on('error', () => {});
    const upgrade = await new Promise<string | null>((resolve) => {
      ws.once('open', () => resolve(null));
      ws.once('unexpected-response', (_req, res) => {
        resolve(`upgrade ${res.statusCode}`);
        res.resume();
        ws.terminate();
      });
      ws.once('error', (err) => resolve(`upgrade error ${err.message}`));
    });
    if (upgrade) {
      if (!this.running) return false; // the soak ended while we connected
      bump(counts.openFailures, upgrade);
      this.sample(failureSample(`console ${target.vmid} (${kind})`, upgrade, ''));
      ws.terminate();
      await closed;
      return true;
    }

    let client: RfbTestClient;
    try {
      client = await RfbTestClient.connect(stream, { timeoutMs: 15_000 });
    } catch (err) {
      const end = await Promise.race([closed, sleep(2000).then(() => null)]);
      ws.terminate();
      if (!this.running) return false; // closed by stop() mid-handshake
      const why =
        err instanceof RfbHandshakeError
          ? `rfb refused`
          : end
            ? `closed ${end.code} in handshake`
            : `handshake: ${(err as Error).message.slice(0, 60)}`;
      bump(counts.openFailures, why);
      if (!target.chaos || !(err instanceof RfbHandshakeError || end)) {
        this.sample(
          failureSample(`console ${target.vmid} (${kind})`, why, `${(err as Error).message} ${end?.reason ?? ''}`),
        );
      }
      return true;
    }
    counts.opened++;
    counts.add('open', 'ok', performance.now() - started);
    this.live[kind]++;
    try {
      const layout = simFrameLayout(client.width, client.height);
      const lifetime = performance.now() + jitter(this.options.lifetimeMs, 0.5);
      // Set when the console ends without us (or the soak's end) asking for it.
      const end: { dropped: { code: number; reason: string } | null } = { dropped: null };
      void closed.then((c) => {
        if (!closedByUs && this.running) end.dropped = c;
      });
      for (let tick = 0; this.running && !end.dropped; tick++) {
        if (performance.now() > lifetime) break;
        const region: Rect = tick % 5 === 4 ? layout.input : layout.pulse;
        if (tick % 5 === 4) {
          client.pointer(Math.floor(Math.random() * client.width), Math.floor(Math.random() * client.height));
          client.key('a', true);
          client.key('a', false);
        }
        const t0 = performance.now();
        try {
          // The first request is a full one, as a viewer's first paint.
          await client.update(tick !== 0, region);
          counts.add('update', 'ok', performance.now() - t0);
        } catch {
          if (end.dropped || !this.running) break;
          if (ws.readyState !== WebSocket.OPEN) {
            await Promise.race([closed, sleep(1000)]);
            if (end.dropped) break;
          }
          counts.stuck++;
          this.sample(failureSample(`console ${target.vmid} (${kind})`, 'no update in 15 s', ''));
          closedByUs = true;
          ws.terminate();
          return true;
        }
        await sleep(jitter(this.options.updateEveryMs));
      }
      const d = end.dropped;
      if (d) {
        bump(counts.drops, `${d.code} ${d.reason}`.slice(0, 60));
        if (!target.chaos) this.sample(failureSample(`console ${target.vmid} (${kind})`, `closed ${d.code}`, d.reason));
        return true;
      }
      closedByUs = true;
      ws.close(1000, 'done');
      const answered = await Promise.race([closed, sleep(5000).then(() => null)]);
      if (!answered) {
        ws.terminate();
        bump(counts.drops, 'close not answered in 5 s');
        this.sample(failureSample(`console ${target.vmid} (${kind})`, 'close', 'not answered in 5 s'));
        return true;
      }
      counts.recycled++;
      return false;
    } finally {
      this.live[kind]--;
    }
  }
}
