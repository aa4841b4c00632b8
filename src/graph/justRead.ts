/**
 * Answers of reads that rode in another `$batch` (InspectTargetOptions.alongside), kept for a
 * moment so the caller's own call for them is answered without a request of its own. Each
 * answer is used once and only within `ttlInMs` of arriving: it is as fresh as a read made
 * then, and never an old fact served as a new one.
 */
export class JustRead {
  private readonly entries = new Map<string, { at: number; settle: () => Promise<unknown> }>();

  constructor(private readonly options: { ttlInMs: number; now: () => number; maxEntries?: number }) {}

  /** Keeps `settle` (the answer, or its error) under `key`. */
  keep(key: string, settle: () => Promise<unknown>): void {
    const now = this.options.now();
    for (const [k, e] of this.entries) if (now - e.at > this.options.ttlInMs) this.entries.delete(k);
    if (this.entries.size >= (this.options.maxEntries ?? 1_000)) this.entries.clear();
    this.entries.set(key.toLowerCase(), { at: now, settle });
  }

  /** The answer kept under `key`, once, if it arrived within the time to live. */
  take<T>(key: string): Promise<T> | undefined {
    const k = key.toLowerCase();
    const entry = this.entries.get(k);
    if (!entry) return undefined;
    this.entries.delete(k);
    if (this.options.now() - entry.at > this.options.ttlInMs) return undefined;
    return entry.settle() as Promise<T>;
  }
}
