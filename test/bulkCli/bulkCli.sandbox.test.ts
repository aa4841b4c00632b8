/**
 * `npm run bulk` in-process against the sandbox tenant with a generated group of 100: the
 * dry run creates nothing, a real run puts every issued member's code in a new owner-only
 * CSV and nowhere else, and every refusal (bad start, an existing file, no confirmation)
 * happens before anything is created.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_GROUP } from '../../sandbox/generate';
import { AuditLog } from '../../src/audit/auditLog';
import { CSV_HEADER } from '../../src/bulkCli/csvPassFile';
import { configureLogging } from '../../src/log';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { TapFlow } from '../../src/flow/tapFlow';
import { createCredential } from '../../src/graph/credential';
import { GraphGateway } from '../../src/graph/gateway';
import { fakeNotifier } from '../support/fakePorts';
import { flowConfig } from '../support/flowWorld';
import { AGENT } from '../support/bulkWorld';
import { ADMIN_UPN, parseCsv, startCliWorld, TRICKY_NAMES, type CliWorld } from '../support/bulkCliWorld';

/** A local morning a few days ahead (the policy allows a start up to 30 days out). */

/** Half an hour from now on the Copenhagen wall clock: the command line runs within the hour before the passes start. */
function soonInCopenhagen(): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(Date.now() + 30 * 60_000))
      .map((p) => [p.type, p.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}`;
}

const base = (): string[] => ['--group', GENERATED_GROUP.displayName, '--start', soonInCopenhagen(), '--time-zone', 'Europe/Copenhagen', '--as', ADMIN_UPN];

describe('the bulk command line against the sandbox tenant @bulk', function () {
  this.timeout(40_000);
  let w: CliWorld;
  let refusedIds: string[];
  before(async () => {
    configureLogging({ level: 'silent' });
    w = await startCliWorld({ members: 100 });
    refusedIds = [...w.facts.guests, ...w.facts.admins, ...w.facts.protectedIds, ...w.facts.disabled];
  });
  beforeEach(() => w.fresh());
  after(async () => {
    await w?.stop();
    configureLogging({ level: 'info' });
  });

  it('a dry run lists who would not get a pass and why, with counts, and creates and writes nothing', async () => {
    const r = await w.run([...base(), '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /SANDBOX MODE[\s\S]*LOCAL\s+SANDBOX TENANT[\s\S]*not Microsoft Entra/, 'says loudly it is not a real tenant');
    const eligible = 100 - refusedIds.length;
    assert.match(r.stdout, new RegExp(`Would get a pass \\(${eligible}\\):`));
    assert.match(r.stdout, new RegExp(`Would not get a pass \\(${refusedIds.length}\\):`));
    assert.match(r.stdout, /^ {2}Joiner 97 \(joiner97_fabrikam\.com#EXT#@contoso\.com\): .*guest/im);
    assert.match(r.stdout, /^ {2}Joiner 53 \(joiner53@contoso\.com\): .*disabled/im);
    assert.match(r.stdout, /^ {2}Joiner 89 \(joiner89@contoso\.com\): .+/m);
    assert.match(r.stdout, /^ {2}Joiner 83 \(joiner83@contoso\.com\): .+/m);
    assert.match(r.stdout, /^ {2}Joiner 4 \(joiner4@contoso\.com\)$/m, 'eligible members are listed by name and UPN');
    // Directory text cannot rewrite the terminal or fake a line of the list.
    assert.ok(r.stdout.includes('  Ann "Annie" Lee; Jr.\\nSecond line (joiner2@contoso.com)\n'), 'a newline in a name is shown, not obeyed');
    assert.ok(!r.stdout.includes('\u001b'), 'no escape sequence reaches the terminal');
    assert.match(r.stdout, /Nothing was created or written/);
    assert.equal(w.creates(), 0, 'no TAP create reached the tenant');
    assert.deepEqual(w.files(), [], 'no file in the working directory');
    assert.throws(() => statSync(w.env['SQLITE_PATH'] as string), 'not even the state database is created');
  });

  it('a dry run reads the bot\'s storage, so its plan meets the request the bot holds open for a member, and it still writes nothing', async () => {
    const upnOf = (id: string): string => `joiner${Number.parseInt(id.slice(-12), 16)}@contoso.com`;
    // Past the three members whose names are made tricky, so the line reads "Joiner N".
    const target = w.facts.memberIds.slice(3).find((id) => !refusedIds.includes(id) && !w.facts.withoutManager.includes(id)) as string;
    const storage = new SqliteStorage({ path: w.env['SQLITE_PATH'] as string });
    try {
      const credential = createCredential({ kind: 'secret', clientId: w.sandbox.clientId, clientSecret: w.sandbox.clientSecret }, w.sandbox.tenantId, { authorityHost: w.sandbox.authorityHost, trustedCaPem: w.sandbox.caPem });
      const graph = new GraphGateway({ credential, baseUrl: w.sandbox.graphBaseUrl, trustedCaPem: w.sandbox.caPem, membershipCacheInMs: 0 });
      const bot = new TapFlow({ graph, storage, audit: new AuditLog({ storage }), notifier: fakeNotifier(), config: flowConfig() });
      const open = await bot.startRequest(AGENT, { target: upnOf(target), scenario: 'recovery', reason: 'Lost phone, verified on video' });
      assert.equal(open.state, 'PendingApproval');
    } finally {
      await storage.close();
    }
    const before = statSync(w.env['SQLITE_PATH'] as string).size;
    const r = await w.run([...base(), '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^ {2}Joiner \\d+ \\(${upnOf(target)}\\): Has an open request already \\(TAP-`, 'm'));
    assert.equal(statSync(w.env['SQLITE_PATH'] as string).size, before, 'nothing written to the bot\'s storage');
    assert.equal(w.creates(), 0);
  });

  it('a real run writes one row per issued member to a new owner-only CSV, and the codes go nowhere else', async () => {
    const r = await w.run([...base(), '--yes', '--ticket', 'INC-4711']);
    assert.equal(r.code, 0, r.stderr);
    const [file] = w.files();
    assert.ok(file, 'a codes file was written');
    assert.match(file, /^bulk-BULK-[2-9A-HJ-NP-Z]{6}-\d{4}-\d{2}-\d{2}\.csv$/);
    const full = path.join(w.cwd, file);
    assert.equal(statSync(full).mode & 0o777, 0o600, 'owner-only');

    const rows = parseCsv(readFileSync(full, 'utf8'));
    assert.deepEqual(rows[0], [...CSV_HEADER]);
    const data = rows.slice(1);
    const eligibleUpns = w.facts.memberIds.filter((id) => !refusedIds.includes(id)).map((id) => `joiner${Number.parseInt(id.slice(-12), 16)}@contoso.com`);
    assert.deepEqual(data.map((row) => row[0]).sort(), eligibleUpns.sort(), 'exactly one row per issued member, no refused member');
    for (const id of w.facts.memberIds) assert.equal(w.sandbox.state.tapsOf(id).length, refusedIds.includes(id) ? 0 : 1);
    for (const row of data) {
      assert.equal(row.length, 5);
      assert.ok((row[2] ?? '').length >= 8, 'a code');
      assert.ok(Date.parse(row[3] ?? '') < Date.parse(row[4] ?? ''), 'start before expiry');
      assert.match(row[4] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'ISO UTC');
    }
    // Directory text cannot break the file or run as a formula.
    const names = data.map((row) => row[1]);
    assert.ok(names.includes(`'${TRICKY_NAMES.formula}`), 'a name starting with = gets a leading apostrophe');
    assert.ok(names.includes(TRICKY_NAMES.separators), 'separators, quotes and newlines survive quoting');

    const codes = data.map((row) => row[2] as string);
    const stored = new SqliteStorage({ path: w.env['SQLITE_PATH'] as string });
    try {
      const events = await new AuditLog({ storage: stored }).recent(1000);
      assert.ok(events.some((e) => e.action === 'bulk.created' && e.details?.['via'] === 'cli'), 'audited as a command-line request');
      assert.ok(events.some((e) => e.action === 'bulk.completed'));
      const everywhere = `${r.stdout}\n${r.stderr}\n${JSON.stringify(events)}`;
      for (const code of codes) assert.ok(!everywhere.includes(code), 'a code reached stdout, stderr or the audit trail');
    } finally {
      await stored.close();
    }
    assert.match(r.stdout, /96 issued, 4 refused, 0 failed/);
    assert.match(r.stdout, /WARNING: this file holds working Temporary Access Passes.*delete the file.*expire by/s);
    assert.match(r.stderr, /96 of 96 issued/, 'progress on stderr');
  });

  it('never overwrites an existing file, and creates nothing when it refuses', async () => {
    const out = path.join(w.cwd, 'codes.csv');
    writeFileSync(out, 'keep me\n');
    const r = await w.run([...base(), '--yes', '--out', 'codes.csv']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /codes\.csv exists already; it is never overwritten/);
    assert.equal(readFileSync(out, 'utf8'), 'keep me\n');
    assert.equal(w.creates(), 0);
  });

  it('rejects a --start that is not a local time, and one in the past, with exit 2 and nothing written', async () => {
    const garbled = await w.run(['--group', GENERATED_GROUP.displayName, '--start', 'next monday', '--as', ADMIN_UPN, '--yes']);
    assert.equal(garbled.code, 2);
    assert.match(garbled.stderr, /--start "next monday" is not a local time: write "YYYY-MM-DD HH:MM"/);
    const past = await w.run(['--group', GENERATED_GROUP.displayName, '--start', '2020-01-06 08:00', '--as', ADMIN_UPN, '--yes']);
    assert.equal(past.code, 2);
    assert.match(past.stderr, /in the past/);
    assert.deepEqual(w.files(), []);
    assert.equal(w.creates(), 0);
  });

  it('asks "Create N passes?" on a terminal and creates nothing unless the answer is yes; without a terminal it needs --yes', async () => {
    const declined = await w.run(base(), { answer: 'n' });
    assert.equal(declined.asked, 'Create 96 passes? [y/N] ');
    assert.equal(declined.code, 3);
    const noTerminal = await w.run(base());
    assert.equal(noTerminal.code, 2);
    assert.match(noTerminal.stderr, /run again with --yes/);
    assert.deepEqual(w.files(), []);
    assert.equal(w.creates(), 0);
  });

  it('exits 3 and keeps no file when Graph refuses every create, naming each member and why', async () => {
    w.sandbox.knobs.grantedPermissions = w.sandbox.knobs.grantedPermissions.filter((p) => !/^UserAuth(entication)?Method(-TAP)?\.ReadWrite\.All$/.test(p));
    const r = await w.run([...base(), '--yes']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /0 issued, 4 refused, 96 failed/);
    assert.match(r.stdout, /^Failed:\n {2}=HYPERLINK.*\(joiner1@contoso\.com\): Microsoft Graph did not create the pass: .+/m);
    assert.match(r.stdout, /No pass was made, so no codes file was kept/);
    assert.deepEqual(w.files(), []);
  });

  it('exits 2 naming the problem when --as is nobody in the directory', async () => {
    const r = await w.run([...base().slice(0, -2), '--as', 'nobody@contoso.com', '--dry-run']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--as nobody@contoso\.com: there is no such user/);
  });
});
