/**
 * Ports of the local stand-ins `npm start` runs in sandbox mode (dev/start.ts): the sandbox
 * tenant and one Agents Playground per persona. Only read here, so that loadConfig checks
 * them with everything else; production never starts either.
 */
import type { Reader } from './reader';

export interface LocalSettings {
  graphPort: number;
  /** Sign-in names of people the sandbox tenant starts out of office (their automatic replies on). */
  outOfOffice: string[];
  playground: { enabled: boolean; agentPort: number; managerPort: number; fallbackPort: number; skipLevelPort: number; ownerPort: number };
}

export function parseLocalSettings(r: Reader): LocalSettings {
  return {
    graphPort: r.int('SANDBOX_GRAPH_PORT', 3980, 0, 65535),
    outOfOffice: (r.raw('SANDBOX_OUT_OF_OFFICE') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    playground: {
      enabled: r.bool('PLAYGROUND', true),
      agentPort: r.int('PLAYGROUND_AGENT_PORT', 56150, 1, 65535),
      managerPort: r.int('PLAYGROUND_MANAGER_PORT', 56151, 1, 65535),
      fallbackPort: r.int('PLAYGROUND_FALLBACK_PORT', 56152, 1, 65535),
      skipLevelPort: r.int('PLAYGROUND_SKIP_LEVEL_PORT', 56153, 1, 65535),
      ownerPort: r.int('PLAYGROUND_OWNER_PORT', 56154, 1, 65535),
    },
  };
}
