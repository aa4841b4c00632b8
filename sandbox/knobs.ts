/**
 * Fault injection: latency, throttling, server errors, dropped sockets, a write-rate
 * token bucket, and "fail the next N". Randomness comes from a seeded PRNG so a test run
 * with the same seed sees the same faults.
 */
import { DEFAULT_GRANTED_PERMISSIONS } from './permissions';
import type { SandboxKnobs } from './types';

export function defaultKnobs(overrides: Partial<SandboxKnobs> = {}): SandboxKnobs {
  const knobs: SandboxKnobs = {
    latencyInMs: 0,
    throttleRate: 0,
    retryAfterSeconds: 1,
    writeLimit: null,
    serverErrorRate: 0,
    dropRate: 0,
    failNext: null,
    retryAfterFractional: false,
    grantedPermissions: [...DEFAULT_GRANTED_PERMISSIONS],
    signInActivityLicensed: true,
    riskyUsersLicensed: true,
    ...overrides,
  };
  // A copy, so a reset never hands back an array a test mutated.
  knobs.grantedPermissions = [...knobs.grantedPermissions];
  return knobs;
}

/** mulberry32: tiny, fast, good enough to decide "fault or not" reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the fault layer decided for one Graph request (top-level or batch item). */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'drop' }
  | { kind: 'status'; status: number; retryAfter?: string };

/** Formats Retry-After the way the knobs ask: whole seconds (as Graph does) unless fractional is on. */
export function formatRetryAfter(seconds: number, knobs: SandboxKnobs): string {
  if (knobs.retryAfterFractional) return String(Math.max(0, Number(seconds.toFixed(3))));
  return String(Math.max(1, Math.ceil(seconds)));
}

export class FaultInjector {
  private random: () => number;
  private bucket: { tokens: number; updatedAt: number; config: string } | null = null;

  constructor(
    private readonly knobs: SandboxKnobs,
    private readonly seed: number,
    private readonly now: () => number = Date.now,
  ) {
    this.random = seededRandom(seed);
  }

  /** Same sequence of random faults as a fresh start; a full write bucket. */
  reset(): void {
    this.random = seededRandom(this.seed);
    this.bucket = null;
  }

  /**
   * Decide the fate of one Graph request before the router sees it. `canDrop` is false for
   * batch items: an item cannot lose its socket, only its envelope can.
   */
  decide(canDrop: boolean): FaultDecision {
    const { knobs } = this;
    if (knobs.failNext && knobs.failNext.count > 0) {
      const { status } = knobs.failNext;
      knobs.failNext = knobs.failNext.count > 1 ? { count: knobs.failNext.count - 1, status } : null;
      return this.statusFault(status);
    }
    // Always draw the same number of random values so one knob does not shift another's sequence.
    const dropRoll = this.random();
    const throttleRoll = this.random();
    const errorRoll = this.random();
    if (canDrop && dropRoll < knobs.dropRate) return { kind: 'drop' };
    if (throttleRoll < knobs.throttleRate) return this.statusFault(429);
    if (errorRoll < knobs.serverErrorRate) return this.statusFault(503);
    return { kind: 'none' };
  }

  /** The `$batch` envelope itself is only ever dropped; its items take the other faults. */
  shouldDropEnvelope(): boolean {
    return this.random() < this.knobs.dropRate;
  }

  /**
   * Take one token for an identity write (TAP create/delete). Returns the seconds to wait
   * when the bucket is empty, or null when the write may proceed.
   */
  takeWriteToken(): number | null {
    const limit = this.knobs.writeLimit;
    if (!limit) {
      this.bucket = null;
      return null;
    }
    const now = this.now();
    const config = `${limit.capacity}/${limit.windowInMs}`;
    // A changed limit starts with a full bucket, as if the window had just opened.
    if (!this.bucket || this.bucket.config !== config) {
      this.bucket = { tokens: limit.capacity, updatedAt: now, config };
    }
    const refillPerMs = limit.capacity / limit.windowInMs;
    this.bucket.tokens = Math.min(limit.capacity, this.bucket.tokens + (now - this.bucket.updatedAt) * refillPerMs);
    this.bucket.updatedAt = now;
    if (this.bucket.tokens >= 1) {
      this.bucket.tokens -= 1;
      return null;
    }
    return (1 - this.bucket.tokens) / refillPerMs / 1000;
  }

  private statusFault(status: number): FaultDecision {
    if (status === 429 || status === 503) {
      return { kind: 'status', status, retryAfter: formatRetryAfter(this.knobs.retryAfterSeconds, this.knobs) };
    }
    return { kind: 'status', status };
  }
}
