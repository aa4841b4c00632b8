import assert from 'node:assert/strict';
import sinon from 'sinon';
import { SCENARIOS } from '../../src/flow/types';
import { GUIDE_STRINGS } from '../../src/cards/strings';
import { handleGuideRequest } from '../../src/guide/handler';
import { guidePath, guideUrl, renderGuidePage } from '../../src/guide/page';

const LANGUAGES = ['en', 'da'] as const;

describe('the guide page', () => {
  afterEach(() => sinon.restore());

  it('has a short path per scenario and language, easy to read out', () => {
    assert.equal(guidePath('recovery', 'en'), '/guide/recovery/en');
    assert.equal(guidePath('newJoiner', 'da'), '/guide/new-joiner/da');
    assert.equal(guidePath('passkeyOnboarding', 'en'), '/guide/passkey/en');
    assert.equal(guideUrl('https://tap.contoso.com/', 'recovery', 'da'), 'https://tap.contoso.com/guide/recovery/da');
    for (const s of SCENARIOS) for (const l of LANGUAGES) assert.match(guidePath(s, l), /^\/guide\/[a-z-]+\/[a-z]{2}$/);
  });

  for (const scenario of SCENARIOS) {
    for (const language of LANGUAGES) {
      it(`${scenario} in ${language}: the same steps as the card, in a page that loads nothing from anywhere`, () => {
        const html = renderGuidePage(scenario, language);
        const s = GUIDE_STRINGS[language];
        assert.match(html, new RegExp(`<html lang="${language === 'da' ? 'da-DK' : 'en-GB'}">`));
        assert.ok(html.includes(`<title>${s.title}</title>`));
        const items = [...html.matchAll(/<ol>(.*?)<\/ol>/gs)][0]![1]!.match(/<li>.*?<\/li>/g)!;
        assert.equal(items.length, s.steps[scenario].length);
        assert.ok(html.includes('<a href="https://aka.ms/mysecurityinfo">https://aka.ms/mysecurityinfo</a>'));
        assert.ok(html.includes(s.doNotShare.replace(/'/g, '&#39;')));
        assert.doesNotMatch(html, /<script|<img|<link|<iframe|@import|url\(|src=/i);
        assert.ok(html.includes(`href="${guidePath(scenario, language === 'en' ? 'da' : 'en')}"`), 'links the other language');
        assert.match(html, /<meta name="viewport"/);
        assert.match(html, /<h1>[^<]+<\/h1>/);
      });
    }
  }

  it('tells a one-time recovery to finish in one sitting, and passkey onboarding why its pass is multi-use', () => {
    assert.ok(renderGuidePage('recovery', 'en').includes('one sitting'));
    assert.ok(renderGuidePage('passkeyOnboarding', 'en').includes('needs two of them'));
    assert.ok(renderGuidePage('passkeyOnboarding', 'da').includes('to af dem'));
  });

  it('holds no personal data: the same bytes whoever asks, with no name, account or time in it', () => {
    const html = renderGuidePage('recovery', 'en');
    assert.equal(html, renderGuidePage('recovery', 'en'));
    assert.doesNotMatch(html, /@contoso|\{\{DATE|\d{4}-\d{2}-\d{2}/);
  });
});

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
