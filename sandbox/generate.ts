/**
 * A bigger directory for bulk tests and benchmarks: the seed directory plus a group of N
 * generated joiners with managers, and among them a few guests, administrators, disabled
 * and protected accounts (the ones a bulk request must refuse).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GROUPS, ROLE_TEMPLATES } from './ids';

export const GENERATED_GROUP = { id: 'aaaa0000-0000-4000-8000-0000000000b1', displayName: 'Generated Joiners' } as const;

export interface GeneratedDirectoryOptions {
  members: number;
  /** Managers the joiners are spread over (not in the group). Default 20. */
  managers?: number;
}

/** What the generator put in the group, so tests know whom to expect refused. */
export interface GeneratedFacts {
  memberIds: string[];
  guests: string[];
  admins: string[];
  disabled: string[];
  protectedIds: string[];
  withoutManager: string[];
}

const id = (kind: number, n: number): string => `b${kind.toString(16).padStart(7, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export function generatedDirectory(options: GeneratedDirectoryOptions): { directory: Record<string, unknown>; facts: GeneratedFacts } {
  const base = JSON.parse(readFileSync(path.join(__dirname, 'directory.json'), 'utf8')) as Record<string, unknown> & {
    users: Array<Record<string, unknown>>;
    groups: Array<{ id: string; members: Array<{ id: string }> }>;
    directoryRoles: Array<{ roleTemplateId: string; members: Array<{ id: string }> }>;
  };
  const managerCount = options.managers ?? 20;
  const facts: GeneratedFacts = { memberIds: [], guests: [], admins: [], disabled: [], protectedIds: [], withoutManager: [] };
  for (let m = 1; m <= managerCount; m++) {
    base.users.push({ id: id(2, m), userPrincipalName: `manager${m}@contoso.com`, displayName: `Manager ${m}`, mail: `manager${m}@contoso.com`, userType: 'Member', jobTitle: 'Team lead', createdDateTime: '@now-900d' });
  }
  const members: Array<{ id: string }> = [];
  for (let n = 1; n <= options.members; n++) {
    const userId = id(1, n);
    const guest = n % 97 === 0;
    const disabled = n % 53 === 0;
    const noManager = n % 71 === 0;
    base.users.push({
      id: userId,
      userPrincipalName: guest ? `joiner${n}_fabrikam.com#EXT#@contoso.com` : `joiner${n}@contoso.com`,
      displayName: `Joiner ${n}`,
      mail: `joiner${n}@contoso.com`,
      userType: guest ? 'Guest' : 'Member',
      accountEnabled: !disabled,
      jobTitle: 'New starter',
      preferredLanguage: n % 5 === 0 ? 'da-DK' : 'en-US',
      createdDateTime: '@now-2d',
      ...(noManager ? {} : { manager: { '@odata.type': '#microsoft.graph.user', id: id(2, 1 + (n % managerCount)) } }),
    });
    members.push({ id: userId });
    facts.memberIds.push(userId);
    if (guest) facts.guests.push(userId);
    if (disabled) facts.disabled.push(userId);
    if (noManager) facts.withoutManager.push(userId);
    if (n % 89 === 0) facts.admins.push(userId);
    if (n % 83 === 0) facts.protectedIds.push(userId);
  }
  base.groups.push({ ...GENERATED_GROUP, members } as never);
  const globalAdmin = base.directoryRoles.find((r) => r.roleTemplateId === ROLE_TEMPLATES.globalAdministrator);
  if (!globalAdmin) throw new Error('The seed directory has no Global Administrator role.');
  globalAdmin.members.push(...facts.admins.map((a) => ({ id: a })));
  const protectedGroup = base.groups.find((g) => g.id === GROUPS.protected);
  if (!protectedGroup) throw new Error('The seed directory has no protected group.');
  protectedGroup.members.push(...facts.protectedIds.map((p) => ({ id: p })));
  return { directory: base, facts };
}
