import assert from 'node:assert/strict';
import { disputeOutcomePage, disputeQuestionPage } from '../../src/web/disputePage';

describe('the dispute link pages', () => {
  it('the GET only asks, with a POST form, and allows posting only to itself', () => {
    const page = disputeQuestionPage('A'.repeat(32));
    assert.equal(page.status, 200);
    assert.match(page.body, /<form method="post">/);
    assert.match(page.headers['Content-Security-Policy'] ?? '', /form-action 'self'/);
    assert.equal(page.headers['Cache-Control'], 'no-store');
  });

  it('a malformed token gets "not valid" and is never echoed', () => {
    const page = disputeQuestionPage('<script>alert(1)</script>');
    assert.equal(page.status, 404);
    assert.doesNotMatch(page.body, /script/);
  });

  it('each outcome is said in words with the right status, and nothing personal is shown', () => {
    assert.equal(disputeOutcomePage({ outcome: 'used' }).status, 409);
    assert.equal(disputeOutcomePage({ outcome: 'expired' }).status, 410);
    assert.equal(disputeOutcomePage({ outcome: 'unknown' }).status, 404);
    assert.equal(disputeOutcomePage({ outcome: 'notFinished' }).status, 503);
    for (const outcome of ['used', 'expired', 'unknown', 'notFinished'] as const) assert.doesNotMatch(disputeOutcomePage({ outcome }).body, /@/);
  });

  it('a press that finds another press of the link still at work is told the pass is not stopped yet, and to try again', () => {
    const page = disputeOutcomePage({ outcome: 'notFinished' });
    assert.match(page.body, /not stopped yet/);
    assert.match(page.body, /Open the link again in a minute/);
  });

  it('the question page never echoes the token: the form posts to the page itself, with no action', () => {
    const token = 'Tok3n_' + 'x'.repeat(26);
    const page = disputeQuestionPage(token);
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes(token));
    assert.ok(!JSON.stringify(page.headers).includes(token));
  });
});
