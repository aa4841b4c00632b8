import assert from 'node:assert/strict';
import { GraphError as SdkGraphError } from '@microsoft/microsoft-graph-client';
import { GraphError } from '../../src/errors';
import { REQUIRED_PERMISSION, failureOf, failureOfItem, mapThrown, toGraphError, type GraphOperation } from '../../src/graph/errors';

function sdkError(status: number, code: string, message: string, headers: Record<string, string> = {}): SdkGraphError {
  const e = new SdkGraphError(status, message);
  e.code = code;
  e.headers = new Headers(headers);
  return e;
}

describe('Graph error mapping', () => {
  it('404 → notFound with a sentence for people', () => {
    const e = mapThrown(sdkError(404, 'Request_ResourceNotFound', "Resource 'x' does not exist"), 'getUser');
    assert.equal(e.code, 'notFound');
    assert.equal(e.status, 404);
    assert.match(e.userMessage, /No such user/);
    assert.doesNotMatch(e.userMessage, /Resource 'x'/, "Graph's own wording stays out of the user message");
  });

  const permissionCases: Array<[GraphOperation, string]> = [
    ['createTap', 'UserAuthMethod-TAP.ReadWrite.All'],
    ['listTaps', 'UserAuthMethod-TAP.ReadWrite.All'],
    ['deleteTap', 'UserAuthMethod-TAP.ReadWrite.All'],
    ['getUser', 'User.Read.All'],
    ['getManager', 'User.Read.All'],
    ['memberGroups', 'GroupMember.Read.All'],
    ['listGroupUsers', 'GroupMember.Read.All'],
    ['getTapPolicy', 'Policy.Read.AuthenticationMethod'],
  ];
  for (const [operation, permission] of permissionCases) {
    it(`403 on ${operation} → forbidden naming ${permission}`, () => {
      const e = mapThrown(sdkError(403, 'Authorization_RequestDenied', 'Insufficient privileges'), operation);
      assert.equal(e.code, 'forbidden');
      assert.equal(e.missingPermission, permission);
      assert.ok(e.userMessage.includes(permission));
    });
  }

  it('every operation has a required permission', () => {
    for (const p of Object.values(REQUIRED_PERMISSION)) assert.match(p, /^[A-Za-z-]+\.[A-Za-z.]+$/);
  });

  it('429 → throttled with Retry-After seconds in the message', () => {
    const e = mapThrown(sdkError(429, 'TooManyRequests', 'slow down', { 'Retry-After': '17' }), 'getUser');
    assert.equal(e.code, 'throttled');
    assert.equal(e.retryAfterSeconds, 17);
    assert.equal(e.userMessage, 'Microsoft Graph is busy; try again in 17 seconds.');
  });

  it('a fractional Retry-After rounds up to whole seconds, and none defaults to 30', () => {
    assert.equal(toGraphError({ status: 429, retryAfterInMs: 50 }, 'getUser').retryAfterSeconds, 1);
    assert.equal(toGraphError({ status: 429 }, 'getUser').retryAfterSeconds, 30);
  });

  it('5xx → unavailable', () => {
    assert.equal(mapThrown(sdkError(500, 'generalException', 'boom'), 'getUser').code, 'unavailable');
    assert.equal(mapThrown(sdkError(503, 'serviceNotAvailable', 'later', { 'Retry-After': '3' }), 'getUser').retryAfterSeconds, 3);
  });

  it('401 → unauthorized (credentials wrong)', () => {
    const e = mapThrown(sdkError(401, 'InvalidAuthenticationToken', 'Access token validation failure'), 'getUser');
    assert.equal(e.code, 'unauthorized');
    assert.match(e.userMessage, /credentials/);
  });

  it('a credential that was refused → unauthorized; one that could not reach the sign-in service → unavailable', () => {
    const refused = Object.assign(new SdkGraphError(-1, 'invalid_client: AADSTS7000215: Invalid client secret provided.'), { code: 'AuthenticationRequiredError' });
    assert.equal(mapThrown(refused, 'getUser').code, 'unauthorized');
    const unreachable = Object.assign(new SdkGraphError(-1, 'endpoints_resolution_error: See https://aka.ms/msal.js.errors'), { code: 'CredentialUnavailableError' });
    const e = mapThrown(unreachable, 'getUser');
    assert.equal(e.code, 'unavailable');
    assert.match(e.userMessage, /sign-in service/);
  });

  it('a dropped connection → unavailable', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    assert.equal(failureOf(reset).kind, 'network');
    assert.equal(mapThrown(reset, 'getUser').code, 'unavailable');
  });

  it('400 on TAP create citing the policy → policy; citing guests → guest; anything else → badRequest', () => {
    const policy = mapThrown(sdkError(400, 'badRequest', 'Converged UserCredentialPolicy does not allow creating this method.'), 'createTap');
    assert.equal(policy.code, 'policy');
    const lifetime = mapThrown(sdkError(400, 'badRequest', 'Invalid LifetimeInMinutes specified. The valid range between 60 and 480.'), 'createTap');
    assert.equal(lifetime.code, 'policy');
    const guest = mapThrown(sdkError(400, 'badRequest', 'Temporary Access Pass cannot be created for external (guest) users.'), 'createTap');
    assert.equal(guest.code, 'guest');
    assert.equal(mapThrown(sdkError(400, 'badRequest', 'Something else.'), 'createTap').code, 'badRequest');
    assert.equal(mapThrown(sdkError(400, 'badRequest', 'policy'), 'getUser').code, 'badRequest', 'only TAP creation has policy refusals');
  });

  it("a failed TAP creation carries nothing of Graph's answer: not in message, detail or cause", () => {
    const marker = 'SECRET-LOOKING-TEXT-FROM-THE-BODY';
    const original = sdkError(400, 'badRequest', `policy refusal ${marker}`);
    const e = mapThrown(original, 'createTap');
    assert.equal(e.code, 'policy');
    assert.equal(e.message.includes(marker), false);
    assert.equal(e.userMessage.includes(marker), false);
    assert.equal(e.cause, undefined);
    assert.equal(JSON.stringify(e).includes(marker), false);
    const parseFailure = mapThrown(new SyntaxError(`Unexpected token in JSON at "${marker}"`), 'createTap');
    assert.equal(parseFailure.message.includes(marker), false);
  });

  it("other operations keep Graph's message in the detail (for logs) and the cause", () => {
    const original = sdkError(400, 'badRequest', 'Invalid filter clause');
    const e = mapThrown(original, 'getUser');
    assert.match(e.message, /Invalid filter clause/);
    assert.equal(e.cause, original);
  });

  it('a $batch item failure maps like a top-level one, using its own Retry-After', () => {
    const failure = failureOfItem({ id: 'u', status: 429, headers: { 'retry-after': '4' }, body: { error: { code: 'TooManyRequests', message: 'x' } } });
    assert.deepEqual(failure, { status: 429, graphCode: 'TooManyRequests', message: 'x', retryAfterInMs: 4000 });
    assert.equal(toGraphError(failure, 'listTaps').retryAfterSeconds, 4);
  });

  it('a GraphError passes through unchanged', () => {
    const original = new GraphError({ code: 'guest', status: 400, userMessage: 'no guests' });
    assert.equal(mapThrown(original, 'createTap'), original);
  });
});
