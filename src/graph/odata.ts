/**
 * Addressing Graph resources safely. Everything a person typed (a UPN) goes through here
 * before it becomes part of a URL: a guest UPN holds `#` (which would otherwise cut the URL
 * into a fragment), an apostrophe must be doubled inside an OData string literal, and a UPN
 * starting with `$` would be read as a system segment (`$count`, `$ref`) unless it is
 * written in the key-in-parentheses form.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** An OData string literal: `o'brien` → `'o''brien'`. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Percent-encodes one path segment. Keeps `@` and `$` readable (both are legal in a path
 * segment and Graph's own examples use them unencoded); encodes `#`, `/`, `?`, `%`, `+`,
 * spaces and everything else that could change how the URL is split or decoded.
 */
export function encodePathSegment(value: string): string {
  return encodeURIComponent(value).replace(/%40/g, '@').replace(/%24/g, '$');
}

/**
 * Path of a user by object id or UPN, e.g. `/users/megan@contoso.com`,
 * `/users/pradeep_fabrikam.com%23EXT%23@contoso.com`, `/users('$admin@contoso.com')`.
 */
export function userPath(idOrUpn: string): string {
  const key = idOrUpn.trim();
  if (key.length === 0) throw new RangeError('A user id or UPN is required.');
  if (key.startsWith('$')) return `/users(${encodePathSegment(odataString(key))})`;
  return `/users/${encodePathSegment(key)}`;
}

/** Path of a group by object id (ids only: groups are never addressed by name). */
export function groupPath(groupId: string): string {
  if (!isGuid(groupId)) throw new RangeError(`Not a group object id: ${groupId}`);
  return `/groups/${groupId}`;
}

/** `$select=a,b,c` for the properties of `T` the bot reads. */
export function selectQuery(properties: readonly string[]): string {
  return `$select=${properties.join(',')}`;
}
