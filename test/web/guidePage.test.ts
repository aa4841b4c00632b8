import assert from 'node:assert/strict';
import sinon from 'sinon';
import { SCENARIOS } from '../../src/flow/types';
import { catalogue } from '../../src/i18n';
import { guidePath } from '../../src/flow/follow/guideLinks';
import { renderGuidePage } from '../../src/web/guidePage';

const LANGUAGES = ['en', 'da'] as const;

describe('the guide page', () => {
  afterEach(() => sinon.restore());

  for (const scenario of SCENARIOS) {
    for (const language of LANGUAGES) {
      it(`${scenario} in ${language}: the same steps as the card, in a page that loads nothing from anywhere`, () => {
        const html = renderGuidePage(scenario, language);
        const s = catalogue(language).guide;
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
