/**
 * What one Agents Playground is told (version 0.2.28): the persona signed in to it and the
 * people it lists, as its YAML config (JSON is valid YAML), and the guard preloaded into its
 * process. dev/playground.ts starts it with both.
 */
export interface PlaygroundPerson {
  /** Entra object id (aadObjectId). */
  id: string;
  name: string;
  upn: string;
}

export interface PlaygroundOptions {
  /** Port to listen on; 0 lets the Playground pick a free one. */
  port: number;
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  /** The signed-in user of this Playground. */
  persona: PlaygroundPerson;
  tenantId: string;
  /** Other people of the tenant; the first 5 that are not the persona are listed. */
  people: PlaygroundPerson[];
  /** Folder for config and log; a fresh temp dir (removed on stop) when omitted. */
  workDir?: string;
  /** Receives every output line of the Playground process. */
  log?: (line: string) => void;
  /** The bot account as the Playground shows it. */
  bot?: { id: string; name: string };
  /** How long to wait for the port to answer. */
  startTimeoutInMs?: number;
}

/** The Playground's schema demands exactly this many `users`. */
export const PLAYGROUND_USER_COUNT = 5;
const DEFAULT_BOT = { id: '28:tap-helpdesk-bot', name: 'TAP Helpdesk' };

interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

/**
 * Teams gives users a channel id (`29:…`) distinct from their aadObjectId; doing the same
 * here makes code that mixes the two up fail locally instead of in Teams.
 */
export function playgroundUserId(person: PlaygroundPerson): string {
  return `29:${person.id}`;
}

function toUser(person: PlaygroundPerson): PlaygroundUser {
  const [givenName, ...rest] = person.name.split(' ');
  return {
    id: playgroundUserId(person),
    name: person.name,
    userPrincipleName: person.upn,
    aadObjectId: person.id,
    givenName: givenName || person.name,
    surname: rest.join(' ') || person.name,
    email: person.upn,
  };
}

/** The config document (JSON is valid YAML). Exported for tests. */
export function buildPlaygroundConfig(options: PlaygroundOptions): Record<string, unknown> {
  const others = options.people.filter((p) => p.id !== options.persona.id);
  const unique = [...new Map(others.map((p) => [p.id, p])).values()];
  if (unique.length < PLAYGROUND_USER_COUNT) {
    throw new Error(
      `The Playground needs ${PLAYGROUND_USER_COUNT} people besides the persona; got ${unique.length}`,
    );
  }
  return {
    version: '0.1.1',
    tenantId: options.tenantId,
    bot: options.bot ?? DEFAULT_BOT,
    currentUser: toUser(options.persona),
    users: unique.slice(0, PLAYGROUND_USER_COUNT).map(toUser),
    personalChat: { id: personalChatId(options.persona) },
    groupChat: { id: `19:group-${options.persona.id}@thread.v2`, name: 'Playground group chat' },
    team: {
      id: `19:team-${options.persona.id}@thread.tacv2`,
      name: 'Playground team',
      aadGroupId: '00000000-0000-4000-8000-00000000aa00',
      channels: [],
    },
  };
}

export function personalChatId(persona: PlaygroundPerson): string {
  return `a:playground-personal-${persona.id}`;
}

/**
 * Preloaded into every Playground (`node --require`), because the Playground offers no
 * way to choose its interface and no way to notice that its parent is gone:
 * - a server that is given no host (or a wildcard one) listens on 127.0.0.1, so the
 *   unauthenticated chat and connector are not reachable from the network;
 * - it exits when the IPC channel to the process that started it closes. The kernel
 *   closes that channel however the parent ends, SIGKILL and crashes included, which no
 *   exit handler of the parent can promise.
 * Plain CommonJS, written next to the Playground's config: it runs in the Playground's
 * own node, without tsx.
 */
export const PLAYGROUND_GUARD = `'use strict';
// Written by dev/playground.ts: loopback only, and no life after the parent.
const net = require('node:net');
const LOOPBACK = '127.0.0.1';
const WILDCARDS = new Set([undefined, null, '', '0.0.0.0', '::']);
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object') {
    // listen(options): only TCP options; pipes (path) and handles (fd, handle) stay as they are.
    const tcp = Object.getPrototypeOf(first) === Object.prototype && first.path === undefined && first.fd === undefined && first.handle === undefined;
    if (tcp && WILDCARDS.has(first.host)) args[0] = { ...first, host: LOOPBACK };
  } else if (first === undefined || typeof first === 'function' || typeof first === 'number' || (typeof first === 'string' && /^\\d+$/.test(first))) {
    // listen([port][, host][, backlog][, callback]): a string after the port is the host.
    const port = typeof first === 'function' ? 0 : first;
    const rest = typeof first === 'function' ? args : args.slice(1);
    if (typeof rest[0] === 'string' || rest[0] === null || (rest[0] === undefined && rest.length > 0)) rest[0] = WILDCARDS.has(rest[0]) ? LOOPBACK : rest[0];
    else rest.unshift(LOOPBACK);
    args = [port === undefined ? 0 : port, ...rest];
  }
  return listen.apply(this, args);
};
if (typeof process.send === 'function') {
  process.on('disconnect', () => process.exit(0));
  // The watch alone must not keep the Playground alive.
  if (process.channel) process.channel.unref();
}
`;
