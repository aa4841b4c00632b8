/**
 * The pieces of the bulk command line that need no tenant: what a CSV cell may contain,
 * how the codes file is created, and which arguments are refused before anything starts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBulkArgs, UsageError } from '../../src/bulkCli/args';
import { csvField, csvRow, CsvPassFile, neutraliseFormula, OutputExistsError } from '../../src/bulkCli/csvPassFile';
import type { BulkMember, BulkPass, BulkRequest } from '../../src/flow/bulk/types';

const member = (displayName: string, userPrincipalName = 'joiner1@contoso.com'): BulkMember => ({ id: 'b0000001-0000-4000-8000-000000000001', displayName, userPrincipalName, state: 'created', attempts: 1 });
const pass = (m: BulkMember, code = 'Qw3rty+x'): BulkPass => ({ member: m, temporaryAccessPass: code, startDateTime: '2026-12-07T07:00:00.000Z', expiresDateTime: '2026-12-07T15:00:00.000Z' });

function problemsOf(argv: string[]): string {
  try {
    parseBulkArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e.problems.join('\n');
    throw e;
  }
  assert.fail('the arguments were accepted');
}

describe('bulk command line: CSV cells', () => {
  for (const lead of ['=', '+', '-', '@']) {
    it(`a display name starting with ${lead} is made text with a leading apostrophe`, () => {
      assert.equal(neutraliseFormula(`${lead}SUM(A1:A9)`), `'${lead}SUM(A1:A9)`);
    });
  }

  it('an ordinary name is left exactly as the directory has it', () => {
    assert.equal(csvField(neutraliseFormula("Miriam O'Brien")), "Miriam O'Brien");
  });

  it('a separator, a quote or a newline in a name is quoted, with quotes doubled', () => {
    assert.equal(csvField('Lee; Ann'), '"Lee; Ann"');
    assert.equal(csvField('Ann "Annie"'), '"Ann ""Annie"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
  });

  it('a row has the seed columns plus start and expiry, and the code exactly as Entra made it', () => {
    assert.equal(csvRow(pass(member('=cmd|calc', '+x@contoso.com'), '-abc=+@;')), `'+x@contoso.com;'=cmd|calc;"-abc=+@;";2026-12-07T07:00:00.000Z;2026-12-07T15:00:00.000Z`);
  });
});

describe('bulk command line: the codes file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bulk-csv-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created owner-only with its header, and each page is appended', async () => {
    const file = path.join(dir, 'codes.csv');
    const csv = await CsvPassFile.create(file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    await csv.deliverBulkPage({} as BulkRequest, { n: 1, recipientId: 'x', memberIds: [], deliveredAt: '', expiresDateTime: '' }, [pass(member('A')), pass(member('B'))]);
    await csv.deliverBulkPage({} as BulkRequest, { n: 2, recipientId: 'x', memberIds: [], deliveredAt: '', expiresDateTime: '' }, [pass(member('C'))]);
    await csv.close();
    const lines = readFileSync(file, 'utf8').split('\r\n');
    assert.deepEqual(lines.slice(0, 1), ['UPN;DisplayName;TemporaryAccessPass;StartDateTime;ExpiresDateTime']);
    assert.deepEqual(lines.slice(1).map((l) => l.split(';')[1]), ['A', 'B', 'C', undefined]);
    assert.equal(csv.rows, 3);
  });

  it('refuses a file that exists, and leaves it as it was', async () => {
    const file = path.join(dir, 'codes.csv');
    writeFileSync(file, 'keep me');
    await assert.rejects(CsvPassFile.create(file), OutputExistsError);
    assert.equal(readFileSync(file, 'utf8'), 'keep me');
  });
});

describe('bulk command line: arguments', () => {
  const ok = ['--group', 'Joiners', '--as', 'admin@contoso.com'];

  it('reads --start as a local date and time, with a space, a T, or as two words', () => {
    for (const start of [['2026-12-07 08:00'], ['2026-12-07T08:00'], ['2026-12-07', '8:00']]) {
      const parsed = parseBulkArgs([...ok, '--start', ...start]);
      assert.ok(parsed.kind === 'run');
      assert.deepEqual(parsed.options.start, { date: '2026-12-07', time: '08:00' });
    }
  });

  it('a date alone leaves the time to the scenario', () => {
    const parsed = parseBulkArgs([...ok, '--start', '2026-12-07']);
    assert.ok(parsed.kind === 'run');
    assert.deepEqual(parsed.options.start, { date: '2026-12-07' });
  });

  it('--start now is read as now, in any case', () => {
    for (const word of ['now', 'NOW']) {
      const parsed = parseBulkArgs([...ok, '--start', word]);
      assert.ok(parsed.kind === 'run');
      assert.equal(parsed.options.start, 'now');
    }
  });

  it('names every problem at once', () => {
    const problems = problemsOf(['--start', 'tomorrow', '--scenario', 'vip', '--lifetime', '8h', '--one-time', '--multi-use', '--time-zone', 'Mars/Olympus', '--colour']);
    for (const expected of [/--group is required/, /--as is required/, /--start "tomorrow" is not a local time/, /--scenario must be one of/, /--lifetime is a whole number/, /cannot be combined/, /IANA zone/, /Unknown option --colour/]) {
      assert.match(problems, expected);
    }
  });

  it('--start is required', () => {
    assert.match(problemsOf(ok), /--start is required/);
  });
});
