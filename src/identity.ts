/**
 * One identity per person. Every Entra object id that enters the workflow (an activity's
 * `aadObjectId`, a Graph `id`, a stored id) is canonicalised here once, to a lower-case
 * GUID, and every comparison of two people goes through `sameId`. Separation of duties
 * (agent ≠ target ≠ approver) then holds for every spelling of an id: letter case, braces,
 * surrounding space. A UPN is never an identity: it is resolved through Graph to its id.
 */

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** The canonical form of an Entra object id, or undefined when `raw` is not a GUID. */
export function canonicalId(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const match = GUID.exec(raw.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

/** True when both are the same object id, however each is spelled. Never true for a non-GUID. */
export function sameId(a: unknown, b: unknown): boolean {
  const x = canonicalId(a);
  return x !== undefined && x === canonicalId(b);
}

/** True when `id` is one of `ids`, however each is spelled. */
export function includesId(ids: readonly unknown[], id: unknown): boolean {
  return ids.some((candidate) => sameId(candidate, id));
}

/** How every message names a person: "Megan Bowen (megan@contoso.com)". One home for the wording. */
export function nameAndUpn(p: { displayName: string; userPrincipalName: string }): string {
  return `${p.displayName} (${p.userPrincipalName})`;
}
