// @ts-check
'use strict';

/**
 * The whole suite (`npm test`, `npm run test:fast`): .mocharc.json's settings, with the test
 * files shared out to two worker processes (mocha --parallel). Every file is safe beside any
 * other: servers listen on free loopback ports, files go to fresh temp dirs (screenshots to
 * per-file names under artifacts/), and process-wide state (env, clock fakes) is a worker's own.
 *
 * A worker takes the next file when it is done with one, so the files that take longest go
 * first (measured, serial, on two shared cores) and the two workers end at about the same
 * time; a file missing from the list runs after them. The list only orders: every file
 * under test/ named *.test.ts runs, listed or not.
 *
 * `npx mocha test/some.test.ts` still uses .mocharc.json: one file, in this process.
 */
const fs = require('node:fs');
const path = require('node:path');

const SLOWEST_FIRST = [
  'test/multiprocess/races.test.ts',
  'test/crash/kill9.test.ts',
  'test/bench/bench.quick.test.ts',
  'test/fuzz/activities.fuzz.test.ts',
  'test/soak/faults.test.ts',
  'test/storage/hotspots.test.ts',
  'test/e2e/cards.e2e.test.ts',
  'test/e2e/localStack.signals.test.ts',
  'test/e2e/flow.e2e.test.ts',
  'test/e2e/teamsRender.e2e.test.ts',
  'test/flow/gate/roadByRule.test.ts',
  'test/web/server.test.ts',
  'test/e2e/stepUp.e2e.test.ts',
  'test/integration/answerInTime.http.test.ts',
  'test/e2e/terminal.test.ts',
  'test/flow/bulk/bulk.sandbox.test.ts',
  'test/e2e/playground.test.ts',
];

/** Every test file under test/, as mocha's own glob 'test/**\/*.test.ts' finds them, in its order. */
function testFiles() {
  return fs
    .readdirSync(path.join(__dirname, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.posix.join('test', f.split(path.sep).join('/')))
    .sort();
}

const all = testFiles();
const first = SLOWEST_FIRST.filter((f) => all.includes(f));

module.exports = {
  ...JSON.parse(fs.readFileSync(path.join(__dirname, '.mocharc.json'), 'utf8')),
  parallel: true,
  jobs: 2,
  spec: [...first, ...all.filter((f) => !first.includes(f))],
};
