/**
 * `npm run doctor` against the sandbox tenant: the real credential, token and Graph reads,
 * the real storage factory. Each test breaks one thing and reads the line that names it.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configureLogging } from '../../src/log';
import { formatReport } from '../../src/doctor/format';
import type { DoctorReport } from '../../src/doctor/run';
import { runDoctorWithSandbox as runDoctor } from '../../dev/sandboxTools';
import type { CheckResult } from '../../src/doctor/types';
import { startSandbox } from '../../sandbox/server';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../sandbox/permissions';
import { GROUPS } from '../../sandbox/ids';
import type { RunningSandbox } from '../../sandbox/types';

function line(report: DoctorReport, title: string): CheckResult {
  const found = report.results.find((r) => r.title === title);
  assert.ok(found, `no line "${title}" in:\n${formatReport(report).join('\n')}`);
  return found;
}

const problems = (report: DoctorReport): CheckResult[] => report.results.filter((r) => r.status === 'missing' || r.status === 'optional');

describe('doctor against the sandbox tenant', function () {
  this.timeout(40_000);
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;

  before(async () => {
    configureLogging({ level: 'silent' });
    sandbox = await startSandbox({ port: 0 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-doctor-'));
  });
  beforeEach(() => {
    env = { SANDBOX_GRAPH_PORT: '0', PLAYGROUND: 'false', SQLITE_PATH: path.join(dir, 'bot.sqlite') };
  });
  afterEach(() => sandbox.reset());
  after(async () => {
    await sandbox.stop();
    configureLogging({ level: 'info' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('is all green on the default configuration, says it checked the sandbox, and exits 0', async () => {
    const report = await runDoctor({ env, sandbox });
    assert.deepEqual(problems(report), []);
    assert.equal(report.exitCode, 0);
    assert.equal(report.mode, 'sandbox');
    assert.match(line(report, 'Configuration').detail, /SANDBOX mode .* not Microsoft Entra/);
    assert.match(line(report, 'Group HELPDESK_GROUP_ID').detail, /"Helpdesk Agents"/);
    assert.match(line(report, 'TAP policy: scope').detail, /includes all users/);
    assert.match(formatReport(report).join('\n'), /LOCAL SANDBOX TENANT/);
  });

  it('never prints the client secret or the token', async () => {
    const text = formatReport(await runDoctor({ env, sandbox })).join('\n');
    assert.ok(!text.includes(sandbox.clientSecret), 'the client secret is in the report');
    assert.doesNotMatch(text, /eyJ[\w-]+\.[\w-]+/, 'a JWT is in the report');
  });

  it('names a required permission that is not granted, and exits non-zero', async () => {
    sandbox.knobs.grantedPermissions = DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== 'UserAuthMethod-TAP.ReadWrite.All');
    sandbox.expireTokens();
    const report = await runDoctor({ env, sandbox });
    const missing = line(report, 'Permission UserAuthMethod-TAP.ReadWrite.All');
    assert.equal(missing.status, 'missing');
    assert.match(missing.fix ?? '', /Application permissions > UserAuthMethod-TAP\.ReadWrite\.All, then "Grant admin consent"/);
    assert.equal(report.exitCode, 1);
  });

  it('an optional permission not granted is only a warning, unless a setting turns its feature on', async () => {
    sandbox.knobs.grantedPermissions = DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== 'Mail.Send');
    sandbox.expireTokens();
    const off = await runDoctor({ env, sandbox });
    assert.equal(line(off, 'Permission Mail.Send').status, 'optional');
    assert.match(line(off, 'Permission Mail.Send').detail, /the owner's notice mail is off/);
    assert.equal(off.exitCode, 0);

    const on = await runDoctor({ env: { ...env, OWNER_NOTICE_MAIL_FROM: 'tap-notices@contoso.com' }, sandbox });
    assert.equal(line(on, 'Permission Mail.Send').status, 'missing');
    assert.match(line(on, 'Permission Mail.Send').detail, /OWNER_NOTICE_MAIL_FROM/);
    assert.equal(on.exitCode, 1);
  });

  it('without a PIM permission, warns that every pass then needs a second approver; RoleManagement.Read.Directory covers two of them, broader than needed', async () => {
    sandbox.knobs.grantedPermissions = [
      ...DEFAULT_GRANTED_PERMISSIONS.filter((p) => !p.startsWith('Role') && !p.startsWith('PrivilegedEligibility')),
      'RoleManagement.Read.Directory',
    ];
    sandbox.expireTokens();
    const report = await runDoctor({ env, sandbox });
    const groups = line(report, 'Permission PrivilegedEligibilitySchedule.Read.AzureADGroup');
    assert.equal(groups.status, 'optional');
    assert.match(groups.detail, /administrator roles a person can activate \(PIM\); without it every pass needs a second approver/);
    const eligible = line(report, 'Permission RoleEligibilitySchedule.Read.Directory');
    assert.equal(eligible.status, 'ok');
    assert.match(eligible.detail, /granted through RoleManagement\.Read\.Directory, which is broader than needed/);
    assert.equal(report.exitCode, 0);
  });

  it('reports a disabled TAP policy', async () => {
    sandbox.state.setTapPolicy({ state: 'disabled' });
    const report = await runDoctor({ env, sandbox });
    const state = line(report, 'TAP policy: state');
    assert.equal(state.status, 'missing');
    assert.match(state.detail, /disabled/);
    assert.match(state.fix ?? '', /Authentication methods > Policies > Temporary Access Pass: Enable/);
    assert.equal(report.exitCode, 1);
  });

  it('names the groups of the policy scope, and warns when a preset does not fit the lifetime bounds', async () => {
    sandbox.state.setTapPolicy({ includeTargets: [{ targetType: 'group', id: GROUPS.helpdesk }], excludeTargets: [{ targetType: 'group', id: GROUPS.protected }] });
    const report = await runDoctor({ env: { ...env, PRESET_PASSKEY_LIFETIME_MINUTES: '30' }, sandbox });
    assert.match(line(report, 'TAP policy: scope').detail, /includes group "Helpdesk Agents" .*; excludes group "Protected Accounts"/);
    const lifetime = line(report, 'TAP policy: lifetime');
    assert.equal(lifetime.status, 'optional');
    assert.match(lifetime.detail, /PRESET_PASSKEY_LIFETIME_MINUTES 30 becomes 60/);
  });

  it('reports storage it cannot write', async () => {
    // root ignores directory modes, so then the database's "directory" is a regular file.
    const runsAsRoot = process.getuid?.() === 0;
    const blocked = path.join(dir, runsAsRoot ? 'a-file' : 'read-only');
    if (runsAsRoot) writeFileSync(blocked, 'not a directory');
    else {
      mkdirSync(blocked);
      chmodSync(blocked, 0o555);
    }
    const report = await runDoctor({ env: { ...env, SQLITE_PATH: path.join(blocked, 'sub', 'bot.sqlite') }, sandbox });
    const storage = line(report, 'Storage');
    assert.equal(storage.status, 'missing');
    assert.match(storage.detail, /cannot be written/);
    assert.match(storage.fix ?? '', /SQLITE_PATH/);
    assert.equal(report.exitCode, 1);
  });

  it('lists every problem of a configuration that does not load', async () => {
    const report = await runDoctor({ env: { ...env, APPROVAL_TIMEOUT_MINUTES: 'soon', TAP_DELIVERY_RECIPIENT: 'nobody' }, sandbox });
    const config = line(report, 'Configuration');
    assert.equal(config.status, 'missing');
    assert.match(config.detail, /APPROVAL_TIMEOUT_MINUTES/);
    assert.match(config.detail, /TAP_DELIVERY_RECIPIENT/);
    assert.equal(report.exitCode, 1);
  });

  it('without BULK_APPROVER_GROUP_ID, says bulk approvals go to the fallback approver group (as flow/bulk picks it)', async () => {
    const report = await runDoctor({ env, sandbox });
    const bulk = line(report, 'Group BULK_APPROVER_GROUP_ID');
    assert.equal(bulk.status, 'skipped');
    assert.match(bulk.detail, /approved by the fallback approver group \(FALLBACK_APPROVER_GROUP_ID\)/);
    assert.doesNotMatch(bulk.detail, /no approver group/);
  });

  it('a configured BULK_APPROVER_GROUP_ID is looked up by name', async () => {
    const report = await runDoctor({ env: { ...env, BULK_APPROVER_GROUP_ID: GROUPS.fallbackApprovers }, sandbox });
    assert.match(line(report, 'Group BULK_APPROVER_GROUP_ID').detail, /"Identity Approvers"/);
  });
});

describe('doctor with a group missing from the directory', function () {
  this.timeout(40_000);
  let sandbox: RunningSandbox;
  let dir: string;

  before(async () => {
    configureLogging({ level: 'silent' });
    const seed = JSON.parse(readFileSync(path.join(__dirname, '../../sandbox/directory.json'), 'utf8')) as { groups: Array<{ id: string }> };
    sandbox = await startSandbox({ port: 0, directory: { ...seed, groups: seed.groups.filter((g) => g.id !== GROUPS.protected) } });
    dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-doctor-'));
  });
  after(async () => {
    await sandbox.stop();
    configureLogging({ level: 'info' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the setting of the group that does not exist, and exits non-zero', async () => {
    const report = await runDoctor({ env: { SANDBOX_GRAPH_PORT: '0', PLAYGROUND: 'false', SQLITE_PATH: path.join(dir, 'bot.sqlite') }, sandbox });
    const group = line(report, 'Group PROTECTED_GROUP_ID');
    assert.equal(group.status, 'missing');
    assert.match(group.detail, new RegExp(`no group with id ${GROUPS.protected}`));
    assert.match(group.fix ?? '', /set PROTECTED_GROUP_ID to the object id/);
    assert.equal(line(report, 'Group HELPDESK_GROUP_ID').status, 'ok');
    assert.equal(report.exitCode, 1);
  });
});
