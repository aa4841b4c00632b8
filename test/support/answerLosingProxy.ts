/**
 * A TLS stand-in between the bot and the sandbox tenant that forwards every request and,
 * for the ones `lose` picks, lets the sandbox answer and then drops the bot's connection
 * instead of passing the answer on: Graph did the work, the bot never heard. That is what a
 * gateway timeout or a reset after the request was sent looks like from the bot, and the
 * sandbox's own knobs cannot make it (its drops and latency come before it acts).
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSandboxCertificates } from '../../sandbox/ca';
import type { RunningSandbox } from '../../sandbox/types';

export interface AnswerLosingProxy {
  origin: string;
  caPem: string;
  /** Requests whose answer was dropped, as `METHOD path`. */
  lost: string[];
  stop(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'content-length'];

export async function startAnswerLosingProxy(upstream: RunningSandbox, lose: (method: string, url: string) => boolean): Promise<AnswerLosingProxy> {
  const certificates = await createSandboxCertificates();
  const agent = new https.Agent({ ca: upstream.caPem, keepAlive: true });
  const target = new URL(upstream.origin);
  const lost: string[] = [];
  const server = https.createServer({ cert: certificates.certPem, key: certificates.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      const drop = lose(method, url);
      const headers = { ...req.headers, host: target.host };
      const up = https.request(new URL(url, upstream.origin), { method, headers, agent }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          if (drop) {
            lost.push(`${method} ${url}`);
            req.socket.destroy();
            return;
          }
          const body = Buffer.concat(parts);
          const out: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.includes(k)) out[k] = v;
          res.writeHead(answer.statusCode ?? 502, { ...out, 'content-length': String(body.length) });
          res.end(body);
        });
      });
      // The sandbox dropped the socket (its dropRate knob): the bot sees the same.
      up.on('error', () => req.socket.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    caPem: certificates.caPem,
    lost,
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
