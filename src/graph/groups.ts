/** Group shapes and the one error a bulk read can end with before any check runs. */
import { asObject } from './shapes';
import type { DirectoryGroup } from './types';

export function toGroup(value: unknown): DirectoryGroup {
  const o = asObject(value);
  const id = o['id'];
  if (typeof id !== 'string') throw new TypeError('Graph group without an id');
  return { id: id.toLowerCase(), displayName: typeof o['displayName'] === 'string' ? o['displayName'] : id };
}

/** The group has more user members than a bulk request may cover (BULK_MAX_MEMBERS). */
export class GroupTooLargeError extends Error {
  constructor(readonly max: number) {
    super(`The group has more than ${max} members.`);
    this.name = 'GroupTooLargeError';
  }
}
