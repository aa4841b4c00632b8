/**
 * The one reader of environment variables: each method reads one variable, checks it and
 * records a problem instead of throwing, so loadConfig can report every problem at once.
 * Secret values never appear in the messages.
 */

export type Env = Record<string, string | undefined>;

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const v = this.env[name];
    if (v === undefined) return undefined;
    const t = v.trim();
    return t === '' ? undefined : t;
  }

  /** True when the variable is present, even if empty (`RISK_USER_LEVELS=` means "none"). */
  isSet(name: string): boolean {
    return this.env[name] !== undefined;
  }

  required(name: string, why: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined) this.problems.push(`${name} is missing: ${why}.`);
    return v;
  }

  guid(name: string, opts: { required?: string } = {}): string | undefined {
    const v = opts.required ? this.required(name, opts.required) : this.raw(name);
    if (v !== undefined && !GUID.test(v)) {
      this.problems.push(`${name} is not a GUID (got "${truncate(v)}"); expected e.g. 00000000-0000-0000-0000-000000000000.`);
      return undefined;
    }
    // One spelling per id: every comparison downstream sees lower case.
    return v?.toLowerCase();
  }

  int(name: string, def: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (!/^-?\d+$/.test(v)) {
      this.problems.push(`${name} is not a whole number (got "${truncate(v)}").`);
      return def;
    }
    const n = Number(v);
    if (n < min || n > max) {
      this.problems.push(`${name} is out of range: ${n} is not between ${min} and ${max}.`);
      return def;
    }
    return n;
  }

  bool(name: string, def: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (/^(true|1|yes)$/i.test(v)) return true;
    if (/^(false|0|no)$/i.test(v)) return false;
    this.problems.push(`${name} must be true or false (got "${truncate(v)}").`);
    return def;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], def: T): T {
    const v = this.raw(name);
    if (v === undefined) return def;
    const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (!hit) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${truncate(v)}").`);
      return def;
    }
    return hit;
  }

  httpsUrl(name: string, def: string): string {
    const v = this.raw(name) ?? def;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      this.problems.push(`${name} is not a URL (got "${truncate(v)}").`);
      return def;
    }
    if (u.protocol !== 'https:') {
      this.problems.push(`${name} must be an https:// URL (got "${truncate(v)}").`);
      return def;
    }
    return v.replace(/\/+$/, '');
  }
}

/** Values in messages are cut short: a pasted secret shows at most its start. */
export function truncate(v: string): string {
  return v.length > 60 ? `${v.slice(0, 57)}...` : v;
}

/** `{ key: value }`, or `{}` when the value is undefined (optional properties stay absent). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
