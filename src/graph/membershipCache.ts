/**
 * Short-lived cache of `checkMemberGroups` answers: every message from an agent asks "is
 * this person in the helpdesk group?", and the answer rarely changes within minutes. The
 * trade-off is deliberate: someone removed from the group keeps access for at most
 * `ttlInMs`. Failures are never cached.
 */
export interface MembershipCacheOptions {
  ttlInMs: number;
  now: () => number;
  /** Upper bound on entries; the oldest are dropped first. */
  maxEntries?: number;
}

export class MembershipCache {
  private readonly entries = new Map<string, { expiresAt: number; groups: string[] }>();
  private readonly maxEntries: number;

  constructor(private readonly options: MembershipCacheOptions) {
    this.maxEntries = options.maxEntries ?? 5_000;
  }

  static key(objectId: string, groupIds: readonly string[]): string {
    return `${objectId.toLowerCase()}|${[...groupIds].map((g) => g.toLowerCase()).sort().join(',')}`;
  }

  get(objectId: string, groupIds: readonly string[]): string[] | undefined {
    if (this.options.ttlInMs <= 0) return undefined;
    const key = MembershipCache.key(objectId, groupIds);
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= this.options.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return [...hit.groups];
  }

  set(objectId: string, groupIds: readonly string[], memberOf: readonly string[]): void {
    if (this.options.ttlInMs <= 0) return;
    const key = MembershipCache.key(objectId, groupIds);
    this.entries.delete(key);
    this.entries.set(key, { expiresAt: this.options.now() + this.options.ttlInMs, groups: [...memberOf] });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
