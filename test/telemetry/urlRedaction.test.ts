import assert from 'node:assert/strict';
import { redactSecretPaths, redactUrl, UrlRedactingSpanProcessor } from '../../src/telemetry/urlRedaction';

describe('URLs on spans name nobody (urlRedaction)', () => {
  it('a Graph URL keeps its shape; the UPN, the ids and the query are gone', () => {
    const cases: Array<[string, string]> = [
      ['https://graph.microsoft.com/v1.0/users/megan@contoso.com?$select=id,displayName', 'https://graph.microsoft.com/v1.0/users/{id}'],
      [
        'https://graph.microsoft.com/v1.0/users/0d4f1d3e-2c6b-4b8a-9c1e-7d2f3a4b5c6d/authentication/temporaryAccessPassMethods',
        'https://graph.microsoft.com/v1.0/users/{id}/authentication/temporaryAccessPassMethods',
      ],
      ["https://127.0.0.1:3980/v1.0/users('$admin@contoso.com')/manager", 'https://127.0.0.1:3980/v1.0/{id}/manager'],
      ["https://graph.microsoft.com/v1.0/users?$filter=mail eq 'megan@contoso.com'", 'https://graph.microsoft.com/v1.0/users'],
      ['https://graph.microsoft.com/v1.0/$batch', 'https://graph.microsoft.com/v1.0/$batch'],
      ['/v1.0/users/pradeep_fabrikam.com%23EXT%23@contoso.com', '/v1.0/users/{id}'],
    ];
    for (const [url, expected] of cases) assert.equal(redactUrl(url), expected, url);
  });

  it('the one-time token of a dispute link never reaches a span, whatever its letters', () => {
    assert.equal(redactUrl('/dispute/OnlyLettersTokenHere'), '/dispute/{id}');
    assert.equal(redactUrl('http://127.0.0.1:3978/dispute/Zk3_x-9?lang=da'), 'http://127.0.0.1:3978/dispute/{id}');
    assert.equal(redactUrl('/dispute//OnlyLettersTokenHere/'), '/dispute//{id}/', 'an empty segment between does not hide it');
    assert.equal(redactUrl('/Dispute/OnlyLettersTokenHere'), '/Dispute/{id}');
  });

  it('a dispute token inside any text (an error message, a storage key, an encoded URL) is redacted; other words stay', () => {
    const cases: Array<[string, string]> = [
      ['/dispute/OnlyLettersTokenHere/ does not exist', '/dispute/{id}/ does not exist'],
      ['GET http://127.0.0.1:3978/DISPUTE/Zk3_x-9?lang=da failed', 'GET http://127.0.0.1:3978/DISPUTE/{id}?lang=da failed'],
      ['next=%2Fdispute%2FZk3_x-9abc', 'next=%2Fdispute%2F{id}'],
      ['/dispute//Zk3', '/dispute//{id}'],
      ['dispute/3f2a9c', 'dispute/{id}'],
      ['dispute-stop/TAP-7K3F9Q', 'dispute-stop/TAP-7K3F9Q'],
      ['undisputed/claims', 'undisputed/claims'],
      ['/guide/recovery/da', '/guide/recovery/da'],
    ];
    for (const [text, expected] of cases) assert.equal(redactSecretPaths(text), expected, text);
  });

  it("the Bot Connector's and the bot's own paths stay readable", () => {
    assert.equal(
      redactUrl('https://smba.trafficmanager.net/emea/v3/conversations/a:1xyz/activities/1712345678901'),
      'https://smba.trafficmanager.net/emea/v3/conversations/{id}/activities/{id}',
    );
    assert.equal(redactUrl('/api/messages'), '/api/messages');
  });

  it('the span processor rewrites every URL attribute as the span starts and leaves the rest', () => {
    const attributes: Record<string, unknown> = {
      'url.full': 'https://graph.microsoft.com/v1.0/users/megan@contoso.com?$select=id',
      'http.url': 'https://graph.microsoft.com/v1.0/users/megan@contoso.com',
      'http.target': '/v1.0/users/megan@contoso.com?$select=id',
      'url.path': '/dispute/secret-token',
      'url.query': "$filter=mail eq 'megan@contoso.com'",
      'http.response.status_code': 200,
    };
    new UrlRedactingSpanProcessor().onStart({ attributes, setAttribute: (k, v) => (attributes[k] = v) });
    assert.doesNotMatch(JSON.stringify(attributes), /megan|secret-token/);
    assert.equal(attributes['http.target'], '/v1.0/users/{id}');
    assert.equal(attributes['http.response.status_code'], 200);
  });
});
