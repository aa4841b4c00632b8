/**
 * What a recent look-up learned about a person, kept as a hint for the next one: the object
 * id a sign-in name resolved to, and who their manager was. The look-up before the form
 * (`tap <upn>`) resolves both seconds before the request; with the hint, the request reads
 * everything in one round trip instead of three (the records searched by id, then the
 * manager's out-of-office).
 *
 * A hint only says where to look, never what is there: every fact is still read fresh, and
 * a hint that turned out wrong (the name now belongs to someone else, the manager changed)
 * costs the round trip it tried to save and nothing else (facts.ts, away.ts).
 */
export interface RecentTargetsOptions {
  ttlInMs: number;
  now: () => number;
  /** Upper bound on entries; the oldest are dropped first. */
  maxEntries?: number;
}

interface Entry {
  expiresAt: number;
  id: string;
  managerId?: string;
}

export class RecentTargets {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(private readonly options: RecentTargetsOptions) {
    this.maxEntries = options.maxEntries ?? 5_000;
  }

  /** The person `typed` (a sign-in name or an object id) resolved to, with their manager then. */
  remember(typed: string, id: string, managerId: string | undefined): void {
    if (this.options.ttlInMs <= 0) return;
    const entry: Entry = { expiresAt: this.options.now() + this.options.ttlInMs, id, ...(managerId ? { managerId } : {}) };
    for (const key of new Set([typed.trim().toLowerCase(), id.toLowerCase()])) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** The hint for `typed`, if a look-up resolved it within the time to live. */
  recall(typed: string): { id: string; managerId?: string } | undefined {
    const key = typed.trim().toLowerCase();
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= this.options.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return { id: hit.id, ...(hit.managerId ? { managerId: hit.managerId } : {}) };
  }
}
