// The serialized guest lists InventoryService.listBody keeps for reuse, bounded by count and by
// bytes. A tenant registers its own Proxmox servers, and one of them may list ~100,000 guests
// within the 10 MiB answer cap (≈ 30 MB once serialized); every distinct filter is its own slot,
// so a count alone would let one hostile server and a few hundred query variants hold gigabytes.

export interface StoredBody<B> {
  /** What the body was built from (servers' snapshots); a different key means rebuild. */
  key: string;
  body: B;
  builtAt: number;
}

export class ListBodies<B> {
  private readonly entries = new Map<string, StoredBody<B>>();
  private bytes = 0;

  constructor(
    private readonly maxSlots: number,
    private readonly maxBytes: number,
    private readonly sizeOf: (body: B) => number,
  ) {}

  get(slot: string): StoredBody<B> | undefined {
    return this.entries.get(slot);
  }

  /** Stores (as the newest); the oldest go until both bounds hold. A body over the byte budget
   * on its own is not kept: it is rebuilt per request, like a restricted member's list. */
  set(slot: string, stored: StoredBody<B>): void {
    this.delete(slot);
    const size = this.sizeOf(stored.body);
    if (size > this.maxBytes) return;
    this.entries.set(slot, stored);
    this.bytes += size;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxSlots && this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  delete(slot: string): void {
    const stored = this.entries.get(slot);
    if (!stored) return;
    this.entries.delete(slot);
    this.bytes -= this.sizeOf(stored.body);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes held, as `sizeOf` counts them. */
  get totalBytes(): number {
    return this.bytes;
  }
}
