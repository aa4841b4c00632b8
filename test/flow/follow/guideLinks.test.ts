import assert from 'node:assert/strict';
import { SCENARIOS } from '../../../src/flow/types';
import { guidePath, guideUrl } from '../../../src/flow/follow/guideLinks';

const LANGUAGES = ['en', 'da'] as const;

describe('the guide links', () => {
  it('has a short path per scenario and language, easy to read out', () => {
    assert.equal(guidePath('recovery', 'en'), '/guide/recovery/en');
    assert.equal(guidePath('newJoiner', 'da'), '/guide/new-joiner/da');
    assert.equal(guidePath('passkeyOnboarding', 'en'), '/guide/passkey/en');
    assert.equal(guideUrl('https://tap.contoso.com/', 'recovery', 'da'), 'https://tap.contoso.com/guide/recovery/da');
    for (const s of SCENARIOS) for (const l of LANGUAGES) assert.match(guidePath(s, l), /^\/guide\/[a-z-]+\/[a-z]{2}$/);
  });
});
