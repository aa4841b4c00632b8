/**
 * A lease in storage: "instance X does job J until T". Background work (the expiry sweep,
 * registration follow-through, bulk issuance) runs on one instance at a time: each run takes
 * or renews the job's lease first, and skips the run when another live instance holds it.
 * A lease that is not renewed lapses, so when its holder dies another instance takes the
 * job over within one lease period.
 *
 * Compare-and-swap on one small document per job (ETag, create-only for a new key): of two
 * instances that try at the same instant exactly one gets it, on SQLite and on blobs alike.
 */
import { ConcurrencyError } from '../errors';
import { ETAG_CREATE_ONLY, type DurableStorage } from './types';

interface LeaseDoc {
  holder: string;
  /** ISO time after which anyone may take the lease. */
  until: string;
  /** Bumped on every change of holder, so a stale holder can tell it lost the lease. */
  generation: number;
  eTag?: string;
}

export interface LeaseState {
  holder: string;
  until: string;
  generation: number;
}

const leaseKey = (job: string): string => `lease/${encodeURIComponent(job)}`;

export class Leases {
  constructor(
    private readonly storage: DurableStorage,
    /** This instance's name in the lease documents (host and process id, or a test's name). */
    readonly holder: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Takes the job's lease for `ttlInMs`, or renews it when this instance holds it already.
   * False when another instance holds a lease that has not lapsed (or won the race for it).
   */
  async acquire(job: string, ttlInMs: number): Promise<boolean> {
    const key = leaseKey(job);
    const now = this.clock().getTime();
    const current = (await this.storage.read([key]))[key] as LeaseDoc | undefined;
    if (current && current.holder !== this.holder && Date.parse(current.until) > now) return false;
    const next: LeaseDoc = {
      holder: this.holder,
      until: new Date(now + ttlInMs).toISOString(),
      generation: current && current.holder === this.holder ? current.generation : (current?.generation ?? 0) + 1,
      eTag: current?.eTag ?? ETAG_CREATE_ONLY,
    };
    try {
      await this.storage.write({ [key]: next });
      return true;
    } catch (e) {
      // Someone else wrote the lease between our read and write: they have it.
      if (e instanceof ConcurrencyError) return false;
      throw e;
    }
  }

  /** Gives the lease up early (a clean stop), so another instance need not wait for it to lapse. */
  async release(job: string): Promise<void> {
    const key = leaseKey(job);
    const current = (await this.storage.read([key]))[key] as LeaseDoc | undefined;
    if (!current || current.holder !== this.holder) return;
    try {
      await this.storage.write({ [key]: { ...current, until: new Date(0).toISOString(), eTag: current.eTag } });
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
    }
  }

  /** Who holds the job now (undefined: nobody ever did). For status and tests. */
  async state(job: string): Promise<LeaseState | undefined> {
    const key = leaseKey(job);
    const current = (await this.storage.read([key]))[key] as LeaseDoc | undefined;
    return current ? { holder: current.holder, until: current.until, generation: current.generation } : undefined;
  }
}

/** A name for this process in lease documents: host, pid and a random suffix (a restarted pid differs). */
export function instanceName(): string {
  const host = process.env['WEBSITE_INSTANCE_ID']?.slice(0, 12) ?? process.env['HOSTNAME'] ?? 'local';
  return `${host}/${process.pid}/${Math.random().toString(36).slice(2, 8)}`;
}
