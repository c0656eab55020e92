// Axis ticks for byte amounts that read well: steps of 1, 2, 2.5 or 5 times a power of two's unit
// (KiB, MiB, GiB …), from 0 to at least the largest value, each label distinct and short.
// Recharts picks decimal ticks (525 MiB, 1 GiB, 1 GiB …), so the byte charts get theirs here.
import { formatBytes } from './format';

const STEPS = [1, 2, 2.5, 5];

export interface ByteTicks {
  ticks: number[];
  /** The axis' upper end: the last tick, never below the data. */
  top: number;
  format(v: number): string;
}

export function niceByteTicks(max: number, count = 4): ByteTicks {
  const m = Number.isFinite(max) && max > 0 ? max : 1;
  const unitPower = Math.max(0, Math.min(5, Math.floor(Math.log(m) / Math.log(1024))));
  const unit = 1024 ** unitPower;
  const raw = m / unit / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = (STEPS.find((s) => s * magnitude >= raw) ?? 10) * magnitude * unit;
  const n = Math.max(1, Math.ceil(m / step - 1e-12));
  const ticks = Array.from({ length: n + 1 }, (_, i) => i * step);
  const decimals = step / unit >= 1 && Number.isInteger(step / unit) ? 0 : step / unit >= 0.1 ? 1 : 2;
  const format = (v: number) => (v === 0 ? '0' : formatBytes(v, decimals).replace(/\.0+ /, ' '));
  return { ticks, top: ticks[ticks.length - 1] ?? m, format };
}
