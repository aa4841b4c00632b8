/**
 * Last line of defence for the audit trail: an event that carries anything looking like
 * the TAP (or another secret) is refused outright, never stored with a redaction, so the
 * bug that put it there shows up in tests instead of hiding.
 */

/** Key names that mean "this is a secret" wherever they appear in an event. */
const SECRET_KEY = /temporaryAccessPass|^code$|^pass$|passcode|password|secret/i;

/** Returns true when a string value (or key) is a secret the caller knows about, e.g. the TAP just issued. */
export type SecretDetector = (value: string) => boolean;

/**
 * Where in `event` a secret sits, as a path safe to log ("details.code"), or undefined.
 * The path names keys only; a key that is itself a detected secret is shown as "<key>".
 */
export function findSecret(event: unknown, detector?: SecretDetector): string | undefined {
  return walk(event, '', detector, 0);
}

function walk(value: unknown, path: string, detector: SecretDetector | undefined, depth: number): string | undefined {
  if (typeof value === 'string') return detector?.(value) ? path || '(value)' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  // Audit events are flat; anything this deep is malformed, and refusing is the safe answer.
  if (depth > 8) return `${path}.(too deep)`;
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  for (const [key, child] of entries) {
    const keyIsSecret = !Array.isArray(value) && detector?.(key) === true;
    const childPath = path ? `${path}.${keyIsSecret ? '<key>' : key}` : keyIsSecret ? '<key>' : key;
    if (keyIsSecret || (!Array.isArray(value) && SECRET_KEY.test(key))) return childPath;
    const hit = walk(child, childPath, detector, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}
