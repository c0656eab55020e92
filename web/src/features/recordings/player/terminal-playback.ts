// Plays an asciicast v2 recording (a text console) into a terminal: output and resizes in time at
// 1×–16×; a seek resets the terminal and writes everything up to the target at once (text is
// cheap to replay).
export interface CastEvent {
  atMs: number;
  kind: 'o' | 'i' | 'r';
  data: string;
}

export interface Cast {
  width: number;
  height: number;
  events: CastEvent[];
}

export function parseCast(text: string): Cast {
  const [head, ...lines] = text.split('\n').filter((l) => l.trim() !== '');
  if (!head) throw new Error('an empty recording');
  const header = JSON.parse(head) as { version?: number; width?: number; height?: number };
  if (header.version !== 2) throw new Error('not an asciicast v2 recording');
  const events: CastEvent[] = [];
  for (const line of lines) {
    const [t, kind, data] = JSON.parse(line) as [number, string, string];
    if (kind === 'o' || kind === 'i' || kind === 'r') events.push({ atMs: Math.round(t * 1000), kind, data });
  }
  return { width: header.width ?? 80, height: header.height ?? 24, events };
}

export interface TerminalSink {
  reset(): void;
  write(text: string): void;
  resize(cols: number, rows: number): void;
}

export class TerminalPlayback {
  private next = 0;
  position = 0;
  speed = 1;
  playing = false;
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly cast: Cast,
    private readonly sink: TerminalSink,
    private readonly durationMs: number,
    private readonly onProgress: (positionMs: number, playing: boolean) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.seek(0);
  }

  seek(ms: number): void {
    this.position = Math.max(0, Math.min(ms, this.durationMs));
    this.sink.reset();
    this.sink.resize(this.cast.width, this.cast.height);
    this.next = 0;
    this.deliverUpTo(this.position);
    this.last = this.now();
    this.onProgress(this.position, this.playing);
  }

  play(): void {
    if (this.position >= this.durationMs) this.seek(0);
    this.playing = true;
    this.last = this.now();
    this.tick();
  }

  pause(): void {
    this.playing = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.onProgress(this.position, false);
  }

  dispose(): void {
    this.pause();
  }

  private tick = (): void => {
    if (!this.playing) return;
    const now = this.now();
    this.position = Math.min(this.durationMs, this.position + (now - this.last) * this.speed);
    this.last = now;
    this.deliverUpTo(this.position);
    if (this.position >= this.durationMs) {
      this.playing = false;
      this.onProgress(this.position, false);
      return;
    }
    this.onProgress(this.position, true);
    this.timer = setTimeout(this.tick, 33);
  };

  private deliverUpTo(ms: number): void {
    const events = this.cast.events;
    while (this.next < events.length && (events[this.next] as CastEvent).atMs <= ms) {
      const e = events[this.next] as CastEvent;
      if (e.kind === 'o') this.sink.write(e.data);
      else if (e.kind === 'r') {
        const [cols, rows] = e.data.split('x').map(Number);
        if (cols && rows) this.sink.resize(cols, rows);
      }
      this.next++;
    }
  }
}
