/**
 * A lease in storage: "instance X does job J until T". Background work (the expiry sweep,
 * registration follow-through, bulk issuance) runs on one instance at a time: each run takes
 * or renews the job's lease first, and skips the run when another live instance holds it.
 * A lease that is not renewed lapses, so when its holder dies another instance takes the
 * job over within one lease period (plus the clock-skew margin).
 *
 * Compare-and-swap on one small document per job (ETag, create-only for a new key): of two
 * instances that try at the same instant exactly one gets it, on SQLite and on blobs alike.
 *
 * Generation: one unbroken tenure of one holder. Renewing a live lease keeps it; taking a
 * lease (new, from another holder, after a release, or after it lapsed, even one's own)
 * starts the next. A holder that kept the generation it was granted has been the only
 * holder since; one whose generation moved on has lost the lease, even if it holds it again.
 *
 * Clock skew: `until` is written by the holder's clock and read by the others'. A taker
 * treats another holder's lease as live for `skewMarginInMs` past its `until`, so a taker
 * whose clock runs up to that much ahead still never takes a live lease.
 */
import { hostname } from 'node:os';
import { ConcurrencyError } from '../errors';
import { ETAG_CREATE_ONLY, type DurableStorage } from './types';

interface LeaseDoc {
  holder: string;
  /** ISO time (the holder's clock) after which the lease has lapsed. */
  until: string;
  generation: number;
  eTag?: string;
}

/** What a lease document says now. */
export interface LeaseState {
  holder: string;
  until: string;
  generation: number;
}

/** A lease this instance was granted: proof of one tenure, to renew and to check. */
export interface Lease extends LeaseState {
  job: string;
}

export interface LeasesOptions {
  storage: DurableStorage;
  /** This instance's name in the lease documents (see instanceName). Unique per process. */
  holder: string;
  clock?: () => Date;
  /** How far apart the instances' clocks may be. Default 5 s. */
  skewMarginInMs?: number;
}

const DEFAULT_SKEW_MARGIN_IN_MS = 5_000;
const RELEASED = new Date(0).toISOString();

const leaseKey = (job: string): string => `lease/${encodeURIComponent(job)}`;

export class Leases {
  readonly holder: string;
  readonly skewMarginInMs: number;
  private readonly storage: DurableStorage;
  private readonly clock: () => Date;

  constructor(options: LeasesOptions) {
    if (!options.holder) throw new TypeError('A lease holder needs a name.');
    this.storage = options.storage;
    this.holder = options.holder;
    this.clock = options.clock ?? (() => new Date());
    this.skewMarginInMs = options.skewMarginInMs ?? DEFAULT_SKEW_MARGIN_IN_MS;
    if (!(this.skewMarginInMs >= 0)) throw new TypeError('skewMarginInMs must be zero or more.');
  }

  /**
   * Takes the job's lease for `ttlInMs`, or renews it when this instance holds it live.
   * Undefined when another instance holds a lease that has not lapsed, or won the race.
   */
  acquire(job: string, ttlInMs: number): Promise<Lease | undefined> {
    return this.take(job, ttlInMs);
  }

  /**
   * Extends a lease this instance was granted, keeping its generation. Undefined when the
   * tenure has ended (lapsed, released, or taken by another): the holder has lost the job
   * and must stop, even though `acquire` might grant it a new lease.
   */
  renew(lease: Lease, ttlInMs: number): Promise<Lease | undefined> {
    return this.take(lease.job, ttlInMs, lease.generation);
  }

  private async take(job: string, ttlInMs: number, renewing?: number): Promise<Lease | undefined> {
    if (!(ttlInMs > 0) || !Number.isFinite(ttlInMs)) throw new RangeError(`A lease's ttlInMs must be a positive number (got ${ttlInMs}).`);
    const key = leaseKey(job);
    const now = this.clock().getTime();
    const current = await this.readDoc(key);
    const until = current ? Date.parse(current.until) : 0;
    const live = current !== undefined && current.holder === this.holder && until > now;
    if (renewing !== undefined && !(live && current.generation === renewing)) return undefined;
    if (current && current.holder !== this.holder && until + this.skewMarginInMs > now) return undefined;
    const next: LeaseState = {
      holder: this.holder,
      until: new Date(now + ttlInMs).toISOString(),
      generation: live ? current.generation : (current?.generation ?? 0) + 1,
    };
    try {
      await this.storage.write({ [key]: { ...next, eTag: current?.eTag ?? ETAG_CREATE_ONLY } });
    } catch (e) {
      // Someone else wrote the lease between our read and write: they have it.
      if (e instanceof ConcurrencyError) return undefined;
      throw e;
    }
    return { job, ...next };
  }

  /** True while the lease's tenure lasts: still this holder, same generation, not lapsed. */
  async holds(lease: Lease): Promise<boolean> {
    const current = await this.readDoc(leaseKey(lease.job));
    return (
      current?.holder === this.holder &&
      current.generation === lease.generation &&
      Date.parse(current.until) > this.clock().getTime()
    );
  }

  /** Gives the lease up early (a clean stop), so another instance need not wait for it to lapse. */
  async release(job: string): Promise<void> {
    const key = leaseKey(job);
    const current = await this.readDoc(key);
    if (!current || current.holder !== this.holder) return;
    try {
      await this.storage.write({ [key]: { holder: current.holder, until: RELEASED, generation: current.generation, eTag: current.eTag } });
    } catch (e) {
      // Taken over meanwhile: it is no longer ours to release.
      if (!(e instanceof ConcurrencyError)) throw e;
    }
  }

  /** Who holds the job now (undefined: nobody ever did). For status and tests. */
  async state(job: string): Promise<LeaseState | undefined> {
    const current = await this.readDoc(leaseKey(job));
    return current ? { holder: current.holder, until: current.until, generation: current.generation } : undefined;
  }

  private async readDoc(key: string): Promise<LeaseDoc | undefined> {
    return (await this.storage.read([key]))[key] as LeaseDoc | undefined;
  }
}

/**
 * A name for this process in lease documents: the configured name (INSTANCE_NAME) or the
 * host name, then pid and a random suffix. The suffix is not optional: two processes that
 * shared a name would both believe they hold the lease.
 */
export function instanceName(configured?: string): string {
  return `${configured || hostname() || 'local'}/${process.pid}/${Math.random().toString(36).slice(2, 8)}`;
}
