/**
 * The sandbox's risk examples (README "Four eyes") hold on any day: the seed's dates are
 * relative to the sandbox's start, so Lasse's new Authenticator and Miriam's manager change
 * are elevated risk whatever today's date is, for the first hours of a run.
 */
import assert from 'node:assert/strict';
import seed from '../../sandbox/directory.json';
import { Directory } from '../../sandbox/directory';
import { USERS } from '../../sandbox/ids';
import { assessRisk, DEFAULT_RISK_RULES } from '../../src/flow/gate/risk';
import type { BatchItemResponse } from '../../src/graph/batch';
import { parseSignals } from '../../src/graph/signals';
import type { TargetSignals } from '../../src/graph/types';

const HOUR = 3_600_000;
const NO_HISTORY = { issuedAt: [], reportedSuspicious: false };

/** The signals the bot would read about `userId` from this directory, in Graph's shapes. */
function signalsOf(directory: Directory, userId: string): TargetSignals {
  const answer = (id: string, status: number, body: unknown): [string, BatchItemResponse] => [id, { id, status, headers: {}, body }];
  const user = directory.requireUser(userId);
  const risky = directory.riskyUser(userId);
  const answers = new Map<string, BatchItemResponse>([
    answer('sig.methods', 200, { value: directory.authenticationMethodsOf(userId) }),
    answer('sig.signIn', 200, { id: userId, signInActivity: user['signInActivity'] }),
    answer('sig.audit', 200, { value: directory.directoryAudits().filter((a) => JSON.stringify(a['targetResources']).includes(userId)) }),
    risky ? answer('sig.risk', 200, risky) : answer('sig.risk', 404, {}),
  ]);
  return parseSignals(user, answers, userId);
}

describe('sandbox risk seeds stay elevated risk on any date', () => {
  const startDates = ['2020-02-29T23:30:00.000Z', '2026-12-07T08:00:00.000Z', '2031-07-01T12:00:00.000Z', new Date().toISOString()];
  // A run is looked at right away and for a while after: the examples must still hold.
  const intoTheRun = [0, 1 * HOUR, 4 * HOUR];

  for (const startedAt of startDates) {
    it(`a sandbox started ${startedAt}: Lasse (Authenticator registered recently) and Miriam (manager changed) are elevated risk, Megan is not`, () => {
      let now = Date.parse(startedAt);
      const directory = new Directory(seed, () => now);
      for (const offset of intoTheRun) {
        now = Date.parse(startedAt) + offset;
        const at = new Date(now);
        const lasse = assessRisk(signalsOf(directory, USERS.lasse.id), NO_HISTORY, DEFAULT_RISK_RULES, at);
        assert.deepEqual(lasse.rules, ['methodRegisteredRecently'], `Lasse, ${offset / HOUR} h into the run`);
        const miriam = assessRisk(signalsOf(directory, USERS.miriam.id), NO_HISTORY, DEFAULT_RISK_RULES, at);
        assert.deepEqual(miriam.rules, ['managerChange'], `Miriam, ${offset / HOUR} h into the run`);
        assert.equal(assessRisk(signalsOf(directory, USERS.megan.id), NO_HISTORY, DEFAULT_RISK_RULES, at).level, 'normal', 'Megan');
      }
    });
  }
});
