import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors';
import { readPackageSettings } from '../../src/packaging/settings';

const BOT = '2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const TEAMS_APP = '7d5c2a10-3b4e-4f60-9a8b-1c2d3e4f5a6b';
const PAGES = { TEAMS_APP_PRIVACY_URL: 'https://contoso.com/privacy', TEAMS_APP_TERMS_URL: 'https://contoso.com/it-terms' };

function problemsOf(env: Record<string, string>, appVersion = '1.0.0'): string[] {
  try {
    readPackageSettings(env, { appVersion });
  } catch (e) {
    assert.ok(e instanceof ConfigError, 'expected a ConfigError');
    return e.problems;
  }
  assert.fail('expected the settings to be refused');
}

describe('package settings', () => {
  it('without MicrosoftAppId there is no package, and the message says which id to set and where it is', () => {
    const [problem, ...rest] = problemsOf({ ...PAGES });
    assert.deepEqual(rest, []);
    assert.match(problem!, /^MicrosoftAppId is missing: .*Microsoft App ID \(Azure Bot resource/);
  });

  it('an app id that is not a GUID is refused, quoting what was given', () => {
    assert.deepEqual(problemsOf({ ...PAGES, MicrosoftAppId: 'my-bot' }), [
      'MicrosoftAppId is not a GUID (got "my-bot"); expected e.g. 2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d.',
    ]);
    assert.match(problemsOf({ ...PAGES, MicrosoftAppId: BOT, TEAMS_APP_ID: `${BOT}x` })[0]!, /^TEAMS_APP_ID is not a GUID/);
    assert.match(problemsOf({ ...PAGES, MicrosoftAppId: BOT, GRAPH_CLIENT_ID: 'graph' })[0]!, /^GRAPH_CLIENT_ID is not a GUID/);
  });

  it('the all-zero id copied from .env.example is refused as a placeholder', () => {
    assert.deepEqual(problemsOf({ ...PAGES, MicrosoftAppId: '00000000-0000-0000-0000-000000000000' }), [
      'MicrosoftAppId is the all-zero placeholder from .env.example; set the real id.',
    ]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ TEAMS_APP_ID: 'x', PUBLIC_BASE_URL: 'http://tap.contoso.com', TEAMS_APP_PRIVACY_URL: 'privacy' }, '1.0');
    assert.deepEqual(problems.map((p) => p.split(' ')[0]), ['MicrosoftAppId', 'TEAMS_APP_ID', 'PUBLIC_BASE_URL', 'TEAMS_APP_PRIVACY_URL', 'TEAMS_APP_TERMS_URL', 'The']);
    assert.match(problems[2]!, /must be an https:\/\/ URL/);
    assert.match(problems[4]!, /^TEAMS_APP_TERMS_URL is missing/);
    assert.match(problems[5]!, /"1\.0" is not x\.y\.z/);
  });

  it('ids are written in one spelling: lower case, without braces', () => {
    const s = readPackageSettings({ ...PAGES, MicrosoftAppId: ` {${BOT.toUpperCase()}} `, TEAMS_APP_ID: TEAMS_APP.toUpperCase() }, { appVersion: '1.0.0' });
    assert.equal(s.botAppId, BOT);
    assert.equal(s.teamsAppId, TEAMS_APP);
  });

  it('without TEAMS_APP_ID the manifest id is the bot id, and without GRAPH_CLIENT_ID so is the Graph app, as in the bot', () => {
    const s = readPackageSettings({ ...PAGES, MicrosoftAppId: BOT }, { appVersion: '1.0.0' });
    assert.equal(s.teamsAppId, BOT);
    assert.equal(s.graphAppId, BOT);
    assert.ok(s.notes.some((n) => n.startsWith('TEAMS_APP_ID is not set')));
    assert.equal(readPackageSettings({ ...PAGES, MicrosoftAppId: BOT, GRAPH_CLIENT_ID: TEAMS_APP }, { appVersion: '1.0.0' }).graphAppId, TEAMS_APP);
    // A managed identity has no app registration the Teams admin center could show or consent to.
    assert.equal(readPackageSettings({ ...PAGES, MicrosoftAppId: BOT, GRAPH_AUTH: 'managedIdentity', GRAPH_CLIENT_ID: TEAMS_APP }, { appVersion: '1.0.0' }).graphAppId, undefined);
  });

  it('PUBLIC_BASE_URL gives its host (with a port, if any), and no path', () => {
    assert.equal(readPackageSettings({ ...PAGES, MicrosoftAppId: BOT, PUBLIC_BASE_URL: 'https://tap.contoso.com/' }, { appVersion: '1.0.0' }).publicHost, 'tap.contoso.com');
    assert.equal(readPackageSettings({ ...PAGES, MicrosoftAppId: BOT, PUBLIC_BASE_URL: 'https://tap.contoso.com:8443/bot' }, { appVersion: '1.0.0' }).publicHost, 'tap.contoso.com:8443');
    assert.equal(readPackageSettings({ ...PAGES, MicrosoftAppId: BOT }, { appVersion: '1.0.0' }).publicHost, undefined);
  });

  it('a developer name longer than Teams shows is refused', () => {
    assert.match(problemsOf({ ...PAGES, MicrosoftAppId: BOT, TEAMS_APP_DEVELOPER_NAME: 'Contoso Corporation Information Technology' })[0]!, /at most 32/);
  });

  it('the privacy and terms links are the organisation\'s own: without them there is no package, naming both settings', () => {
    const problems = problemsOf({ MicrosoftAppId: BOT });
    assert.deepEqual(problems.map((p) => p.split(' ')[0]), ['TEAMS_APP_PRIVACY_URL', 'TEAMS_APP_TERMS_URL']);
    assert.match(problems[0]!, /your organisation's privacy statement \(an https:\/\/ page\)/);
    const s = readPackageSettings({ ...PAGES, MicrosoftAppId: BOT }, { appVersion: '1.0.0' });
    assert.deepEqual(s.developer, { name: 'IT Helpdesk', websiteUrl: 'https://aka.ms/mysecurityinfo', privacyUrl: PAGES.TEAMS_APP_PRIVACY_URL, termsOfUseUrl: PAGES.TEAMS_APP_TERMS_URL });
  });
});
