import assert from 'node:assert/strict';
import sinon from 'sinon';
import { CHROMIUM_MISSING_MESSAGE } from '../../dev/browser';
import { decideChromium } from '../support/requireChromium';

describe('e2e Chromium requirement', () => {
  afterEach(() => sinon.restore());

  it('under CI a missing Chromium fails the run instead of skipping it', () => {
    assert.deepEqual(decideChromium({ ci: true, available: false }), { action: 'fail', message: CHROMIUM_MISSING_MESSAGE });
  });

  it('locally a missing Chromium skips with the exact install command', () => {
    const decision = decideChromium({ ci: false, available: false });
    assert.equal(decision.action, 'skip');
    assert.ok('message' in decision && decision.message.includes('sudo apt-get install -y chromium'));
  });

  it('with Chromium present the browser tests run, in CI or not', () => {
    assert.deepEqual(decideChromium({ ci: true, available: true }), { action: 'run' });
    assert.deepEqual(decideChromium({ ci: false, available: true }), { action: 'run' });
  });
});
