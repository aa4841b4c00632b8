/**
 * A stand-in for login.botframework.com: an OpenID metadata document and its JWKS over
 * HTTPS (certificate from a throwaway CA), and a minter of channel tokens signed with the
 * keys it lists or with keys it does not. The bot validates these tokens with botbuilder's
 * own code; only the metadata URL and the issuer differ from the public cloud.
 */
import https from 'node:https';
import { generateKeyPair, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { createSandboxCertificates } from '../../sandbox/ca';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Which key signs a token, and which key id its header names. */
type SigningKey =
  /** Listed in the JWKS, endorsed for msteams: what Teams uses. */
  | 'teams'
  /** Listed in the JWKS but endorsed only for webchat. */
  | 'webchat'
  /** Not listed: its own key id, and its public key embedded in the header as `jwk`. */
  | 'unlisted'
  /** The unlisted key's signature under the Teams key's id. */
  | 'forgedAsTeams'
  /** No signature at all (`alg: none`) under the Teams key's id. */
  | 'none';

export interface OpenIdStub {
  /** What ToBotFromChannelOpenIdMetadataUrl points at. */
  metadataUrl: string;
  /** What ToBotFromChannelTokenIssuer is, and what valid tokens carry in `iss`. */
  issuer: string;
  /** The CA that signed the stub's TLS certificate. */
  caPem: string;
  /** Paths fetched so far, oldest first. */
  fetched: string[];
  /** A compact JWS with these claims. */
  mint(claims: Record<string, unknown>, key?: SigningKey): string;
  stop(): Promise<void>;
}

interface Key {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JsonWebKey;
}

async function rsaKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicJwk: publicKey.export({ format: 'jwk' }) };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export async function startOpenIdStub(): Promise<OpenIdStub> {
  const [certs, teams, webchat, unlisted] = await Promise.all([
    createSandboxCertificates(),
    rsaKey('teams-key'),
    rsaKey('webchat-key'),
    rsaKey('attacker-key'),
  ]);
  const fetched: string[] = [];
  let origin = '';
  // The shape of login.botframework.com's keys: RSA, `use: sig`, channel endorsements.
  const jwks = {
    keys: [
      { ...teams.publicJwk, kid: teams.kid, use: 'sig', endorsements: ['msteams'] },
      { ...webchat.publicJwk, kid: webchat.kid, use: 'sig', endorsements: ['webchat'] },
    ],
  };

  const server = https.createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    fetched.push(path);
    const body =
      path === '/v1/.well-known/openidconfiguration'
        ? { issuer: origin, jwks_uri: `${origin}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }
        : path === '/v1/.well-known/keys'
          ? jwks
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    metadataUrl: `${origin}/v1/.well-known/openidconfiguration`,
    issuer: origin,
    caPem: certs.caPem,
    fetched,
    mint(claims, key = 'teams') {
      if (key === 'none') return `${base64url({ alg: 'none', typ: 'JWT', kid: teams.kid })}.${base64url(claims)}.`;
      const signer = key === 'teams' ? teams : key === 'webchat' ? webchat : unlisted;
      const header =
        key === 'unlisted'
          ? { alg: 'RS256', typ: 'JWT', kid: unlisted.kid, jwk: unlisted.publicJwk }
          : { alg: 'RS256', typ: 'JWT', kid: key === 'forgedAsTeams' ? teams.kid : signer.kid };
      const input = `${base64url(header)}.${base64url(claims)}`;
      return `${input}.${sign('RSA-SHA256', Buffer.from(input), signer.privateKey).toString('base64url')}`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * botframework-connector fetches the metadata with node-fetch and no agent of its own, so
 * the request goes through https.globalAgent, which merges its options into every request.
 * Adding the CA there (next to the public roots) is the in-process twin of starting Node
 * with NODE_EXTRA_CA_CERTS, which is read only at start. Returns the undo.
 */
export function trustCaForDefaultHttpsAgent(caPem: string): () => void {
  const options = https.globalAgent.options;
  const before = options.ca;
  options.ca = [...tls.rootCertificates, caPem];
  return () => {
    if (before === undefined) delete options.ca;
    else options.ca = before;
  };
}

/** Where a TCP connection was opened to. */
export interface OutgoingConnection {
  host: string;
  port: number | undefined;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Records every TCP connection the process opens (node-fetch, https.request, undici and
 * net.connect all end in net.Socket#connect, before any DNS lookup) until the returned
 * stop is called. `offMachine` lists those to anything but loopback: what validating a
 * token against login.microsoftonline.com would show.
 */
export function recordOutgoingConnections(): { all: OutgoingConnection[]; offMachine: () => OutgoingConnection[]; stop: () => void } {
  const all: OutgoingConnection[] = [];
  const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown };
  const original = proto.connect;
  proto.connect = function (this: unknown, ...args: unknown[]) {
    // net.connect passes its normalized [options, callback]; direct calls pass (options) or (port, host).
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    if (first && typeof first === 'object') {
      const o = first as { host?: string; port?: number | string; path?: string | null };
      // A path means a Unix socket; http's agent passes `path: null` for TCP.
      if (o.path === undefined || o.path === null) all.push({ host: o.host ?? 'localhost', port: o.port === undefined ? undefined : Number(o.port) });
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      all.push({ host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) });
    }
    return original.apply(this, args);
  };
  return {
    all,
    offMachine: () => all.filter((c) => !LOOPBACK_HOSTS.has(c.host)),
    stop: () => {
      proto.connect = original;
    },
  };
}
