/**
 * The people of the sandbox who get an Agents Playground tab: one table for the launcher
 * (dev/start.ts), its banner and the end-to-end stack (dev/localStack.ts), so names,
 * roles and ports have one home. README.md ("Quick start") describes the same five.
 */
import { USERS } from '../sandbox/ids';
import type { PlaygroundPerson } from './playgroundConfig';

export type PersonaKey = 'agent' | 'manager' | 'fallback' | 'skipLevel' | 'owner';

export interface Persona {
  key: PersonaKey;
  person: PlaygroundPerson;
  /** Who you are in this tab, a few words. */
  role: string;
  /** The banner's words for this tab: who you are there and what to try, one short clause. */
  tryHere: string;
  /** Port when nothing is configured. */
  defaultPort: number;
}

/** In the order the banner lists them: the agent first (that is where you start). */
export const PERSONAS: readonly Persona[] = [
  {
    key: 'agent',
    person: USERS.adele,
    role: 'helpdesk agent',
    tryHere: 'helpdesk agent: start here, type  tap megan@contoso.com',
    defaultPort: 56150,
  },
  {
    key: 'manager',
    person: USERS.nestor,
    role: "Megan's manager",
    tryHere: "Megan's manager: approves her requests",
    defaultPort: 56151,
  },
  {
    key: 'fallback',
    person: USERS.joni,
    role: 'fallback and second approver',
    tryHere: "approves Patti's requests and second approvals",
    defaultPort: 56152,
  },
  {
    key: 'skipLevel',
    person: USERS.lee,
    role: 'skip-level manager, security contact',
    tryHere: "skip-level manager: approves Diego's requests; security contact",
    defaultPort: 56153,
  },
  {
    key: 'owner',
    person: USERS.megan,
    role: 'end user',
    tryHere: 'end user: told when a pass is issued for her',
    defaultPort: 56154,
  },
];

/**
 * The Playground settings of the config. agentPort and managerPort exist today
 * (PLAYGROUND_AGENT_PORT, PLAYGROUND_MANAGER_PORT); the other three are read when src/config
 * offers them (PLAYGROUND_FALLBACK_PORT, PLAYGROUND_SKIP_LEVEL_PORT, PLAYGROUND_OWNER_PORT)
 * and otherwise take the persona's default port.
 */
export interface PlaygroundPortSettings {
  agentPort: number;
  managerPort: number;
  fallbackPort?: number;
  skipLevelPort?: number;
  ownerPort?: number;
}

/** The port each persona's Playground asks for (a taken port makes it pick a free one). */
export function personaPorts(settings: PlaygroundPortSettings): Record<PersonaKey, number> {
  const configured: Record<PersonaKey, number | undefined> = {
    agent: settings.agentPort,
    manager: settings.managerPort,
    fallback: settings.fallbackPort,
    skipLevel: settings.skipLevelPort,
    owner: settings.ownerPort,
  };
  return Object.fromEntries(PERSONAS.map((p) => [p.key, configured[p.key] ?? p.defaultPort])) as Record<PersonaKey, number>;
}

/** Every persona's person, by key (startPlaygrounds' first argument). */
export function personaPeople(): Record<PersonaKey, PlaygroundPerson> {
  return Object.fromEntries(PERSONAS.map((p) => [p.key, p.person])) as Record<PersonaKey, PlaygroundPerson>;
}
