import assert from 'node:assert/strict';
import sinon from 'sinon';
import { handleGuideRequest } from '../../src/web/guideHandler';
import { renderGuidePage } from '../../src/web/guidePage';

describe('GET /guide/:scenario/:language', () => {
  afterEach(() => sinon.restore());

  it('answers a known guide with HTML that may be cached and runs nothing', () => {
    const res = handleGuideRequest({ scenario: 'recovery', language: 'da' });
    assert.equal(res.status, 200);
    assert.equal(res.contentType, 'text/html; charset=utf-8');
    assert.equal(res.body, renderGuidePage('recovery', 'da'));
    assert.match(res.headers['Content-Security-Policy']!, /default-src 'none'/);
    assert.equal(res.headers['X-Content-Type-Options'], 'nosniff');
    assert.match(res.headers['Cache-Control']!, /public/);
  });

  it('accepts what a person types: any case, and no language means English', () => {
    assert.equal(handleGuideRequest({ scenario: 'New-Joiner', language: 'EN' }).body, renderGuidePage('newJoiner', 'en'));
    assert.equal(handleGuideRequest({ scenario: 'passkey' }).body, renderGuidePage('passkeyOnboarding', 'en'));
  });

  it('answers anything else with 404 and the list of guides, never echoing what was asked', () => {
    for (const params of [{ scenario: 'nope', language: 'en' }, { scenario: 'recovery', language: 'de' }, { scenario: '<script>alert(1)</script>' }, {}]) {
      const res = handleGuideRequest(params);
      assert.equal(res.status, 404, JSON.stringify(params));
      assert.ok(!res.body.includes('<script>'));
      assert.ok(res.body.includes('/guide/recovery/en'));
      assert.equal(res.headers['Cache-Control'], 'no-store');
    }
  });
});
