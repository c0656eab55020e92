// Plays a graphical recording into noVNC: windows of the recording are fetched as needed (about a
// minute at a time), records are handed over when the playhead passes them (at 1×–16×), and a
// seek starts a fresh noVNC from the keyframe before the target, handing it everything up to the
// target at once. Keyframes are whole pictures the broker asked Proxmox for while recording, so a
// seek anywhere replays at most a keyframe interval of data.
import { RecordingChannel } from './recording-channel';
import { decodeState, isServer, isState, type PlayerRecord } from './records';

export interface RecordingWindow {
  records: PlayerRecord[];
  /** The chunk to continue from; null at the end. */
  next: number | null;
}

export interface PlaybackDeps {
  /** GET …/data with `from` (ms; the keyframe before it) or `chunk`, up to `to` ms. */
  fetchWindow(q: { from?: number; chunk?: number; to: number }): Promise<RecordingWindow>;
  /** A noVNC reading this channel (disconnected by `dispose`). */
  attach(channel: RecordingChannel): { dispose(): void };
  durationMs: number;
  onProgress(state: PlaybackState): void;
  now?: () => number;
}

export interface PlaybackState {
  positionMs: number;
  playing: boolean;
  loading: boolean;
  ended: boolean;
  error: string | null;
}

const WINDOW_MS = 60_000;
const PICTURE_MS = 500;
/** Fetch the next window when less than this much recording time is loaded ahead. */
const AHEAD_MS = 20_000;

export class VncPlayback {
  private records: PlayerRecord[] = [];
  private nextIndex = 0;
  private nextChunk: number | null = null;
  private loadedToMs = 0;
  private channel: RecordingChannel | null = null;
  private viewer: { dispose(): void } | null = null;
  private position = 0;
  private speed = 1;
  private playing = false;
  private loading = false;
  private ended = false;
  private error: string | null = null;
  private lastTick = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly d: PlaybackDeps) {
    this.now = d.now ?? (() => performance.now());
  }

  get state(): PlaybackState {
    return {
      positionMs: this.position,
      playing: this.playing,
      loading: this.loading,
      ended: this.ended,
      error: this.error,
    };
  }

  /** Shows the picture at `ms` (paused or playing as before). */
  async seek(ms: number): Promise<void> {
    const target = Math.max(0, Math.min(ms, this.d.durationMs));
    const generation = ++this.generation;
    this.loading = true;
    this.report();
    let window: RecordingWindow;
    try {
      window = await this.d.fetchWindow({ from: target, to: target + WINDOW_MS });
    } catch (err) {
      if (generation !== this.generation) return;
      this.fail(err);
      return;
    }
    if (generation !== this.generation) return; // a later seek won
    const first = window.records[0];
    if (!first || !isState(first)) {
      this.fail(new Error('the recording has no picture here'));
      return;
    }
    this.viewer?.dispose();
    this.channel?.close();
    this.channel = new RecordingChannel(decodeState(first.payload));
    this.viewer = this.d.attach(this.channel);
    this.records = window.records;
    this.nextIndex = 1;
    this.nextChunk = window.next;
    this.loadedToMs = window.records.at(-1)?.atMs ?? target;
    this.position = target;
    this.ended = false;
    this.loading = false;
    this.error = null;
    // The whole picture Proxmox was asked for follows its keyframe by a few milliseconds: a
    // target inside that moment (the very start, most often) shows the picture, not black.
    this.deliverUpTo(Math.max(target, first.atMs + PICTURE_MS));
    this.lastTick = this.now();
    this.report();
    if (this.playing) this.schedule();
  }

  play(): void {
    if (this.playing) return;
    if (this.ended) {
      void this.seek(0).then(() => this.play());
      return;
    }
    this.playing = true;
    this.lastTick = this.now();
    this.schedule();
    this.report();
  }

  pause(): void {
    this.playing = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.report();
  }

  setSpeed(speed: number): void {
    this.advance();
    this.speed = speed;
  }

  dispose(): void {
    this.generation++;
    this.pause();
    this.viewer?.dispose();
    this.channel?.close();
  }

  /** Moves the playhead by the time passed since the last tick and hands over what it passed. */
  private advance(): void {
    const now = this.now();
    if (this.playing && !this.loading)
      this.position = Math.min(this.d.durationMs, this.position + (now - this.lastTick) * this.speed);
    this.lastTick = now;
    this.deliverUpTo(this.position);
  }

  private tick = (): void => {
    this.timer = null;
    if (!this.playing) return;
    this.advance();
    if (this.nextChunk !== null && !this.loading && this.loadedToMs - this.position < AHEAD_MS) void this.loadMore();
    const done = this.nextIndex >= this.records.length && this.nextChunk === null;
    if (done && this.position >= Math.min(this.d.durationMs, this.loadedToMs)) {
      this.position = this.d.durationMs;
      this.playing = false;
      this.ended = true;
      this.report();
      return;
    }
    this.report();
    this.schedule();
  };

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(this.tick, 33);
  }

  private async loadMore(): Promise<void> {
    const chunk = this.nextChunk;
    if (chunk === null) return;
    const generation = this.generation;
    this.loading = this.nextIndex >= this.records.length; // waiting only when nothing is left
    try {
      const window = await this.d.fetchWindow({ chunk, to: this.loadedToMs + WINDOW_MS });
      if (generation !== this.generation) return;
      // Delivered records are dropped; what is left and the new window make the queue.
      this.records = [...this.records.slice(this.nextIndex), ...window.records];
      this.nextIndex = 0;
      this.nextChunk = window.next;
      this.loadedToMs = window.records.at(-1)?.atMs ?? this.loadedToMs;
    } catch (err) {
      if (generation === this.generation) this.fail(err);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.lastTick = this.now();
      }
    }
  }

  private deliverUpTo(ms: number): void {
    const channel = this.channel;
    if (!channel) return;
    while (this.nextIndex < this.records.length) {
      const r = this.records[this.nextIndex] as PlayerRecord;
      if (r.atMs > ms) break;
      if (isServer(r)) channel.push(r.payload);
      this.nextIndex++;
    }
  }

  private fail(err: unknown): void {
    this.loading = false;
    this.playing = false;
    this.error = err instanceof Error ? err.message : String(err);
    this.report();
  }

  private report(): void {
    this.d.onProgress(this.state);
  }
}
