import assert from 'node:assert/strict';
import { encodePathSegment, groupPath, isGuid, odataString, userPath } from '../../src/graph/odata';

describe('OData addressing', () => {
  it("an OData string literal doubles every apostrophe", () => {
    assert.equal(odataString("miriam.o'brien@contoso.com"), "'miriam.o''brien@contoso.com'");
    assert.equal(odataString("a''b"), "'a''''b'");
    assert.equal(odataString(''), "''");
  });

  it('a plain UPN is addressed as a path segment, @ left readable', () => {
    assert.equal(userPath('megan@contoso.com'), '/users/megan@contoso.com');
  });

  it('an object id is addressed as is', () => {
    assert.equal(userPath('a0000000-0000-4000-8000-000000000005'), '/users/a0000000-0000-4000-8000-000000000005');
  });

  it('the # of a guest UPN is percent-encoded so it cannot turn the rest into a URL fragment', () => {
    const path = userPath('pradeep_fabrikam.com#EXT#@contoso.com');
    assert.equal(path, '/users/pradeep_fabrikam.com%23EXT%23@contoso.com');
    assert.equal(new URL(`https://graph.microsoft.com/v1.0${path}`).hash, '');
  });

  it("an apostrophe in a UPN segment stays an apostrophe (no literal there to escape)", () => {
    assert.equal(userPath("miriam.o'brien@contoso.com"), "/users/miriam.o'brien@contoso.com");
  });

  it("a UPN starting with $ uses /users('…') with apostrophes doubled", () => {
    assert.equal(userPath('$svc@contoso.com'), "/users('$svc@contoso.com')");
    assert.equal(userPath("$o'neil@contoso.com"), "/users('$o''neil@contoso.com')");
  });

  it('characters that would change how the URL splits (/ ? % + space) are encoded', () => {
    assert.equal(encodePathSegment('a/b?c%d+e f'), 'a%2Fb%3Fc%25d%2Be%20f');
    assert.equal(userPath('x/../../groups'), '/users/x%2F..%2F..%2Fgroups');
  });

  it('a path-injection attempt cannot add a query or another segment', () => {
    const url = new URL(`https://graph.microsoft.com/v1.0${userPath('megan@contoso.com?$select=passwordProfile')}`);
    assert.equal(url.search, '');
    assert.equal(url.pathname.split('/').length, 4);
  });

  it('surrounding spaces are trimmed and an empty key is refused', () => {
    assert.equal(userPath('  megan@contoso.com '), '/users/megan@contoso.com');
    assert.throws(() => userPath('   '), RangeError);
  });

  it('groups are addressed by object id only', () => {
    assert.equal(groupPath('aaaa0000-0000-4000-8000-000000000001'), '/groups/aaaa0000-0000-4000-8000-000000000001');
    assert.throws(() => groupPath('Helpdesk Agents'), RangeError);
    assert.throws(() => groupPath('aaaa0000-0000-4000-8000-000000000001/members'), RangeError);
  });

  it('isGuid accepts GUIDs in either case and nothing else', () => {
    assert.equal(isGuid('AAAA0000-0000-4000-8000-00000000000F'), true);
    assert.equal(isGuid('aaaa0000-0000-4000-8000-00000000000'), false);
  });
});
