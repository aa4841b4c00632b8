/**
 * Client-side pace for identity writes: a token bucket of `burst` writes refilled at
 * `perSecond`, shared by every wave of one bulk run. Graph's identity write limit is per app
 * and tenant (about 3,000 writes per 2.5 minutes at the time of writing); the default pace
 * stays below it and leaves room for the bot's other writes.
 */
export interface PacerOptions {
  perSecond: number;
  burst: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class WritePacer {
  private tokens: number;
  private updatedAt: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: PacerOptions) {
    if (!(options.perSecond > 0) || !(options.burst >= 1)) throw new RangeError('The write pace needs a positive rate and a burst of at least 1.');
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.tokens = options.burst;
    this.updatedAt = this.now();
  }

  /** Waits until `n` writes may go (callers are served in order). */
  take(n: number): Promise<void> {
    const wanted = Math.min(n, this.options.burst);
    const turn = this.chain.then(async () => {
      for (;;) {
        this.refill();
        if (this.tokens >= wanted) {
          this.tokens -= wanted;
          // A batch larger than the burst still pays for all of it.
          if (n > wanted) this.tokens -= n - wanted;
          return;
        }
        await this.sleep(((wanted - this.tokens) / this.options.perSecond) * 1000);
      }
    });
    this.chain = turn;
    return turn;
  }

  /** Graph said "too many": no writes for this long (every wave waits). */
  pause(ms: number): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0) - (ms / 1000) * this.options.perSecond;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.options.perSecond);
    this.updatedAt = now;
  }
}
