/**
 * The sandbox directory plus generated people, so that concurrent load looks like a
 * helpdesk at work: N agents (in the helpdesk group, managed by Lee), N targets shaped
 * like Megan (an ordinary member, no roles, no risk), each with their own manager. A
 * target may have one open request at a time and an agent's velocity counter is one
 * record, so 50 concurrent requests by one agent for one person would measure contention
 * nobody meets in production.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GROUPS, USERS } from '../sandbox/ids';
import type { Persona } from '../test/support/fakeConnector';

export interface LoadCrew {
  agent: Persona;
  target: Persona & { upn: string };
  manager: Persona;
}

type Json = Record<string, unknown>;

const id = (kind: number, i: number): string => `be0000${kind.toString(16).padStart(2, '0')}-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`;

/** Crew i of n: who asks, for whom, who approves. Deterministic, so a run can be repeated. */
export function crew(n: number): LoadCrew[] {
  return Array.from({ length: n }, (_, i) => {
    const k = String(i + 1).padStart(3, '0');
    return {
      agent: { id: id(1, i), name: `Bench Agent ${k}`, upn: `bench.agent.${k}@contoso.com` },
      target: { id: id(2, i), name: `Bench Target ${k}`, upn: `bench.target.${k}@contoso.com` },
      manager: { id: id(3, i), name: `Bench Manager ${k}`, upn: `bench.manager.${k}@contoso.com` },
    };
  });
}

function person(p: Persona, managerId: string, jobTitle: string, department: string): Json {
  const [givenName, ...rest] = p.name.split(' ');
  return {
    id: p.id,
    userPrincipalName: p.upn,
    displayName: p.name,
    givenName,
    surname: rest.join(' '),
    mail: p.upn,
    jobTitle,
    department,
    officeLocation: 'Seattle',
    businessPhones: [],
    userType: 'Member',
    accountEnabled: true,
    preferredLanguage: 'en-US',
    manager: { '@odata.type': '#microsoft.graph.user', id: managerId },
    createdDateTime: '@now-900d',
    signInActivity: { lastSignInDateTime: '@now-2h', lastNonInteractiveSignInDateTime: '@now-15m', lastSuccessfulSignInDateTime: '@now-15m' },
  };
}

/** sandbox/directory.json with the crews added (a fresh copy: the seed file is not touched). */
export function directoryWithCrews(crews: readonly LoadCrew[]): Json {
  const seed = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'sandbox', 'directory.json'), 'utf8')) as Json & { users: Json[]; groups: Array<Json & { members: Json[] }> };
  for (const c of crews) {
    seed.users.push(
      person(c.agent, USERS.lee.id, 'IT Support Specialist', 'IT Service Desk'),
      person(c.manager, USERS.lee.id, 'Team Lead', 'Operations'),
      person(c.target, c.manager.id, 'Analyst', 'Operations'),
    );
  }
  const helpdesk = seed.groups.find((g) => g.id === GROUPS.helpdesk);
  if (!helpdesk) throw new Error('the sandbox directory has no helpdesk group');
  helpdesk.members.push(...crews.map((c) => ({ '@odata.type': '#microsoft.graph.user', id: c.agent.id })));
  return seed;
}
