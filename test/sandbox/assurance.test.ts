import assert from 'node:assert/strict';
import { isLoopback, startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { GROUPS, USERS } from '../../sandbox/ids';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../sandbox/permissions';
import { accessToken, errorCode, errorMessage, graph, request, type HttpResult } from '../support/sandboxHttp';

type Json = Record<string, unknown>;
const body = (r: HttpResult): Json => r.body as Json;
const values = (r: HttpResult): Json[] => body(r)['value'] as Json[];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function rolesOf(token: string): string[] {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { roles?: string[] };
  return payload.roles ?? [];
}

describe('sandbox tenant: identity assurance', () => {
  let sandbox: RunningSandbox;
  let token: string;
  const get = (path: string, t = token): Promise<HttpResult> => graph(sandbox, 'GET', path, { token: t });
  const post = (path: string, payload?: unknown, t = token): Promise<HttpResult> => graph(sandbox, 'POST', path, { token: t, body: payload });
  /** A token issued while `withheld` is not granted (the grant is restored afterwards). */
  const tokenWithout = async (...withheld: string[]): Promise<string> => {
    sandbox.knobs.grantedPermissions = DEFAULT_GRANTED_PERMISSIONS.filter((p) => !withheld.includes(p));
    try {
      return await accessToken(sandbox);
    } finally {
      sandbox.knobs.grantedPermissions = [...DEFAULT_GRANTED_PERMISSIONS];
    }
  };
  const assertForbidden = (result: HttpResult, what: string): void => {
    assert.equal(result.status, 403, `${what}: ${result.text}`);
    assert.equal(errorCode(result), 'Authorization_RequestDenied', what);
    assert.equal(errorMessage(result), 'Insufficient privileges to complete the operation.', what);
  };

  before(async () => {
    sandbox = await startSandbox();
    token = await accessToken(sandbox);
  });
  beforeEach(async () => {
    sandbox.reset();
    // Some tests expire every token: each test starts with a fresh one.
    token = await accessToken(sandbox);
  });
  after(async () => {
    await sandbox.stop();
  });

  describe('tokens carry the granted application permissions as roles', () => {
    it('by default a token holds every permission the bot uses, required and optional', async () => {
      assert.deepEqual(rolesOf(token).sort(), [...DEFAULT_GRANTED_PERMISSIONS].sort());
      for (const p of ['UserAuthMethod-TAP.ReadWrite.All', 'User.Read.All', 'GroupMember.Read.All', 'Policy.Read.AuthenticationMethod', 'TeamsAppInstallation.ReadWriteSelfForUser.All', 'AuditLog.Read.All', 'UserAuthenticationMethod.Read.All', 'IdentityRiskyUser.Read.All', 'Mail.Send', 'User.RevokeSessions.All']) {
        assert.ok(rolesOf(token).includes(p), p);
      }
    });

    it('a permission withheld at run time is missing from new tokens, while a token issued before keeps its roles until it expires', async () => {
      const before = await accessToken(sandbox);
      sandbox.knobs.grantedPermissions = DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== 'User.Read.All');
      const after = await accessToken(sandbox);
      assert.equal(rolesOf(after).includes('User.Read.All'), false);
      assertForbidden(await get(`/users/${USERS.megan.id}`, after), 'new token');
      assert.equal((await get(`/users/${USERS.megan.id}`, before)).status, 200, 'the old token still has its roles');
      sandbox.expireTokens();
      assert.equal((await get(`/users/${USERS.megan.id}`, before)).status, 401);
    });

    it('reset() restores the default grant, also after the array was changed in place', async () => {
      sandbox.knobs.grantedPermissions = [];
      sandbox.reset();
      assert.deepEqual(rolesOf(await accessToken(sandbox)).sort(), [...DEFAULT_GRANTED_PERMISSIONS].sort());
      sandbox.knobs.grantedPermissions.splice(0);
      sandbox.reset();
      sandbox.knobs.grantedPermissions.splice(0);
      sandbox.reset();
      assert.equal(rolesOf(await accessToken(sandbox)).length, DEFAULT_GRANTED_PERMISSIONS.length);
    });

    it('a token whose signature was tampered with is refused', async () => {
      const [h, , s] = token.split('.');
      const forged = `${h ?? ''}.${Buffer.from(JSON.stringify({ roles: ['Directory.ReadWrite.All'] })).toString('base64url')}.${s ?? ''}`;
      assert.equal((await get(`/users/${USERS.megan.id}`, forged)).status, 401);
    });
  });

  describe('existing routes check Graph\'s least-privileged permission', () => {
    // `withhold`: every default permission that would let the request through (a TAP read is also allowed by UserAuthenticationMethod.Read.All).
    const cases: Array<{ withhold: string | string[]; method: string; path: string; payload?: unknown }> = [
      { withhold: 'User.Read.All', method: 'GET', path: `/users/${USERS.megan.id}?$select=id` },
      { withhold: 'User.Read.All', method: 'GET', path: '/users/nobody@contoso.com' },
      { withhold: 'User.Read.All', method: 'GET', path: `/users/${USERS.megan.id}/manager` },
      { withhold: 'User.Read.All', method: 'GET', path: "/users?$filter=mail eq 'megan@contoso.com'" },
      { withhold: 'User.Read.All', method: 'POST', path: `/users/${USERS.isaiah.id}/checkMemberObjects`, payload: { ids: [GROUPS.protected] } },
      // GroupMember.ReadWrite.All (the onboarding group's writes) reads too, as in Graph.
      { withhold: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All'], method: 'POST', path: `/users/${USERS.alex.id}/checkMemberGroups`, payload: { groupIds: [GROUPS.helpdesk] } },
      { withhold: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All'], method: 'GET', path: `/groups/${GROUPS.helpdesk}/transitiveMembers/microsoft.graph.user?$select=id` },
      { withhold: 'Policy.Read.AuthenticationMethod', method: 'GET', path: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass' },
      { withhold: ['UserAuthMethod-TAP.ReadWrite.All', 'UserAuthenticationMethod.Read.All'], method: 'GET', path: `/users/${USERS.lidia.id}/authentication/temporaryAccessPassMethods` },
      { withhold: 'UserAuthMethod-TAP.ReadWrite.All', method: 'POST', path: `/users/${USERS.megan.id}/authentication/temporaryAccessPassMethods`, payload: {} },
      { withhold: 'TeamsAppInstallation.ReadWriteSelfForUser.All', method: 'POST', path: `/users/${USERS.nestor.id}/teamwork/installedApps`, payload: { 'teamsApp@odata.bind': 'https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/app-1' } },
      { withhold: 'TeamsAppInstallation.ReadWriteSelfForUser.All', method: 'GET', path: `/users/${USERS.nestor.id}/teamwork/installedApps` },
    ];
    for (const c of cases) {
      const withheld = [c.withhold].flat();
      it(`${c.method} ${c.path.split('?')[0] ?? ''} answers 403 without ${withheld.join(' and ')}, and not with only that`, async () => {
        const without = await tokenWithout(...withheld);
        assertForbidden(await graph(sandbox, c.method, c.path, { token: without, body: c.payload }), c.path);
        assert.equal(sandbox.state.tapsOf(USERS.megan.id).length, 0, 'a forbidden create creates nothing');
        assert.equal(sandbox.state.installedAppsOf(USERS.nestor.id).length, 0, 'a forbidden install installs nothing');
        const only = await tokenWithout(...DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== withheld[0]));
        const allowed = await graph(sandbox, c.method, c.path, { token: only, body: c.payload });
        assert.notEqual(allowed.status, 403, `${c.path} with only ${withheld[0] ?? ''}: ${allowed.text}`);
      });
    }

    it('a higher-privileged permission is accepted too (Directory.Read.All reads users)', async () => {
      sandbox.knobs.grantedPermissions = ['Directory.Read.All'];
      assert.equal((await get(`/users/${USERS.megan.id}`, await accessToken(sandbox))).status, 200);
    });
  });

  describe('user properties', () => {
    it('the default view has businessPhones (an array) and mobilePhone; createdDateTime and otherMails come with $select', async () => {
      const megan = body(await get(`/users/${USERS.megan.id}`));
      assert.deepEqual(megan['businessPhones'], ['+1 206 555 0105']);
      assert.equal(megan['mobilePhone'], '+1 206 555 0145');
      assert.equal('createdDateTime' in megan, false);
      const guest = body(await get(`/users/${USERS.pradeep.id}`));
      assert.deepEqual(guest['businessPhones'], []);
      assert.equal(guest['mobilePhone'], null);
      const selected = body(await get(`/users/${USERS.megan.id}?$select=id,createdDateTime,otherMails`));
      assert.deepEqual(selected['otherMails'], ['megan.bowen@outlook.com']);
      assert.ok(Date.now() - Date.parse(String(selected['createdDateTime'])) > 800 * DAY);
    });

    it('signInActivity comes back only when selected explicitly, with the three dates', async () => {
      assert.equal('signInActivity' in body(await get(`/users/${USERS.megan.id}`)), false);
      const megan = body(await get(`/users/${USERS.megan.id}?$select=id,signInActivity`));
      const activity = megan['signInActivity'] as Json;
      for (const key of ['lastSignInDateTime', 'lastSuccessfulSignInDateTime', 'lastNonInteractiveSignInDateTime']) {
        assert.equal(typeof activity[key], 'string', key);
        assert.ok(Date.now() - Date.parse(String(activity[key])) < 3 * HOUR, key);
      }
      const lasse = body(await get(`/users/${USERS.lasse.id}?$select=signInActivity`))['signInActivity'] as Json;
      assert.ok(Date.now() - Date.parse(String(lasse['lastSignInDateTime'])) > 3 * DAY, 'Lasse has not signed in interactively for days');
    });

    it('selecting signInActivity without AuditLog.Read.All is 403, also inside $expand and in lists', async () => {
      const without = await tokenWithout('AuditLog.Read.All');
      assertForbidden(await get(`/users/${USERS.megan.id}?$select=id,signInActivity`, without), 'get');
      assertForbidden(await get(`/users/${USERS.megan.id}?$select=id&$expand=manager($select=id,signInActivity)`, without), 'expand');
      assertForbidden(await get(`/users?$select=id,signInActivity&$filter=mail eq 'megan@contoso.com'`, without), 'list');
      assert.equal((await get(`/users/${USERS.megan.id}?$select=id,displayName`, without)).status, 200, 'other properties are fine');
    });

    it('a tenant without P1 answers 403 with Graph\'s licence error when signInActivity is selected', async () => {
      sandbox.knobs.signInActivityLicensed = false;
      const result = await get(`/users/${USERS.megan.id}?$select=id,signInActivity`);
      assert.equal(result.status, 403);
      assert.equal(errorCode(result), 'Authentication_RequestFromNonPremiumTenantOrB2CTenant');
      assert.equal(errorMessage(result), "Neither tenant is B2C or tenant doesn't have premium license");
      assert.equal((await get(`/users/${USERS.megan.id}?$select=id`)).status, 200);
    });
  });

  describe('registered authentication methods', () => {
    const methodsOf = async (userId: string, t = token): Promise<Json[]> => values(await get(`/users/${userId}/authentication/methods`, t));
    const types = (methods: Json[]): string[] => methods.map((m) => String(m['@odata.type']));

    it('Megan has a password and an Authenticator registered long ago', async () => {
      const methods = await methodsOf(USERS.megan.id);
      assert.deepEqual(types(methods), ['#microsoft.graph.passwordAuthenticationMethod', '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod']);
      const password = methods[0] as Json;
      assert.equal(password['id'], '28c10230-6103-485e-b985-444c60001490');
      assert.equal(password['password'], null);
      const authenticator = methods[1] as Json;
      for (const key of ['id', 'displayName', 'deviceTag', 'phoneAppVersion', 'createdDateTime']) assert.equal(typeof authenticator[key], 'string', key);
      assert.ok(Date.now() - Date.parse(String(authenticator['createdDateTime'])) > 300 * DAY);
    });

    it('Lasse registered an Authenticator within the last day; the others have a password only; a TAP is listed as a TAP method', async () => {
      const lasse = await methodsOf(USERS.lasse.id);
      const authenticator = lasse.find((m) => m['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod') as Json;
      const age = Date.now() - Date.parse(String(authenticator['createdDateTime']));
      assert.ok(age > 12 * HOUR && age < 24 * HOUR, `registered ${age} ms ago: within the 24-hour risk rule, with hours to spare`);
      assert.deepEqual(types(await methodsOf(USERS.adele.id)), ['#microsoft.graph.passwordAuthenticationMethod']);
      const lidia = await methodsOf(USERS.lidia.id);
      const tap = lidia.find((m) => m['@odata.type'] === '#microsoft.graph.temporaryAccessPassAuthenticationMethod') as Json;
      assert.equal(tap['temporaryAccessPass'], null);
      assert.equal(tap['isUsable'], true);
    });

    it('needs UserAuthenticationMethod.Read.All (the TAP permission is not enough)', async () => {
      assertForbidden(await get(`/users/${USERS.megan.id}/authentication/methods`, await tokenWithout('UserAuthenticationMethod.Read.All')), 'methods');
      sandbox.knobs.grantedPermissions = ['UserAuthenticationMethod.ReadWrite.All'];
      assert.equal((await get(`/users/${USERS.megan.id}/authentication/methods`, await accessToken(sandbox))).status, 200);
    });

    it('state.registerMethod adds a FIDO2 key, Windows Hello or an Authenticator in Graph\'s shapes', async () => {
      const key = sandbox.state.registerMethod(USERS.adele.upn, 'fido2', 'YubiKey 5C');
      assert.equal(key['@odata.type'], '#microsoft.graph.fido2AuthenticationMethod');
      sandbox.state.registerMethod(USERS.adele.id, 'windowsHelloForBusiness');
      const methods = await methodsOf(USERS.adele.id);
      const fido = methods.find((m) => m['id'] === key['id']) as Json;
      assert.equal(fido['displayName'], 'YubiKey 5C');
      assert.equal(typeof fido['model'], 'string');
      assert.ok(Date.now() - Date.parse(String(fido['createdDateTime'])) < 60_000);
      assert.ok(methods.some((m) => m['@odata.type'] === '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod'));
      sandbox.state.registerMethod(USERS.adele.id, 'phone', '+1 4255550100');
      const phone = (await methodsOf(USERS.adele.id)).find((m) => m['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod') as Json;
      assert.deepEqual([phone['phoneNumber'], phone['phoneType']], ['+1 4255550100', 'mobile']);
    });

    it('the HTTP hook POST /_sandbox/users/{id|upn}/methods registers a method without a token, from another process\'s point of view', async () => {
      const created = await request(sandbox, 'POST', `/_sandbox/users/${encodeURIComponent(USERS.megan.upn)}/methods`, { body: { type: 'fido2', displayName: 'Desk key' } });
      assert.equal(created.status, 201, created.text);
      assert.equal(body(created)['@odata.type'], '#microsoft.graph.fido2AuthenticationMethod');
      assert.ok((await methodsOf(USERS.megan.id)).some((m) => m['displayName'] === 'Desk key'));
      assert.equal(sandbox.requests.at(-2)?.url, `/_sandbox/users/${encodeURIComponent(USERS.megan.upn)}/methods`, 'the hook is in the request log');
      assert.equal((await request(sandbox, 'POST', `/_sandbox/users/${USERS.megan.id}/methods`, { body: { type: 'password' } })).status, 400);
      assert.equal((await request(sandbox, 'POST', '/_sandbox/users/nobody@contoso.com/methods', { body: { type: 'fido2' } })).status, 404);
      assert.equal((await request(sandbox, 'GET', `/_sandbox/users/${USERS.megan.id}/methods`)).status, 405);
    });

    it('the hook answers loopback callers only', () => {
      for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.0.0.2']) assert.equal(isLoopback(address), true, address);
      for (const address of ['10.0.0.5', '192.168.1.20', '::ffff:10.0.0.5', 'fe80::1', undefined]) assert.equal(isLoopback(address), false, String(address));
    });

    it('the hook is not part of Graph: under /v1.0 it is an unknown segment (and needs a token like all of Graph)', async () => {
      assert.equal((await request(sandbox, 'POST', `/v1.0/_sandbox/users/${USERS.megan.id}/methods`, { body: { type: 'fido2' } })).status, 401);
      const withToken = await post(`/_sandbox/users/${USERS.megan.id}/methods`, { type: 'fido2' });
      assert.equal(withToken.status, 400);
      assert.equal((await methodsOf(USERS.megan.id)).length, 2, 'nothing was registered');
    });
  });

  describe('directory audit log', () => {
    const since = (ms: number): string => new Date(Date.now() - ms).toISOString();
    const managerChanges = (userId: string, sinceIso: string): string =>
      `/auditLogs/directoryAudits?$filter=${encodeURIComponent(`activityDisplayName eq 'Update user' and targetResources/any(t:t/id eq '${userId}') and activityDateTime ge ${sinceIso}`)}`;

    it('the seed shows Miriam\'s manager changed two days ago, in Graph\'s directoryAudit shape', async () => {
      const result = await get(managerChanges(USERS.miriam.id, since(7 * DAY)));
      assert.equal(result.status, 200, result.text);
      const [entry, ...rest] = values(result);
      assert.equal(rest.length, 0);
      assert.ok(entry);
      assert.equal(entry['activityDisplayName'], 'Update user');
      assert.equal(entry['category'], 'UserManagement');
      assert.equal(entry['loggedByService'], 'Core Directory');
      const age = Date.now() - Date.parse(String(entry['activityDateTime']));
      assert.ok(age > 47 * HOUR && age < 49 * HOUR);
      assert.equal(((entry['initiatedBy'] as Json)['user'] as Json)['userPrincipalName'], USERS.isaiah.upn);
      const target = (entry['targetResources'] as Json[])[0] as Json;
      assert.deepEqual([target['id'], target['userPrincipalName'], target['type']], [USERS.miriam.id, USERS.miriam.upn, 'User']);
      assert.deepEqual(target['modifiedProperties'], [{ displayName: 'Manager', oldValue: JSON.stringify([USERS.lee.id]), newValue: JSON.stringify([USERS.nestor.id]) }]);
    });

    it('the filter keeps only that user, that activity and that time window', async () => {
      assert.equal(values(await get(managerChanges(USERS.megan.id, since(7 * DAY)))).length, 0, 'another user');
      assert.equal(values(await get(managerChanges(USERS.miriam.id, since(DAY)))).length, 0, 'too long ago');
      const other = `/auditLogs/directoryAudits?$filter=${encodeURIComponent(`activityDisplayName eq 'Delete user' and targetResources/any(t:t/id eq '${USERS.miriam.id}')`)}`;
      assert.equal(values(await get(other)).length, 0, 'another activity');
      const either = `/auditLogs/directoryAudits?$filter=${encodeURIComponent(`(activityDisplayName eq 'Set user manager' or activityDisplayName eq 'Update user') and targetResources/any(t:t/id eq '${USERS.miriam.id}')`)}`;
      assert.equal(values(await get(either)).length, 1, 'a parenthesized or');
    });

    it('a quoted date, an unsupported clause and a missing permission are refused as Graph does', async () => {
      const quoted = await get(`/auditLogs/directoryAudits?$filter=${encodeURIComponent(`activityDateTime ge '${since(DAY)}'`)}`);
      assert.equal(quoted.status, 400);
      assert.match(errorMessage(quoted), /incompatible types.*Edm\.DateTimeOffset.*Edm\.String/);
      const unsupported = await get(`/auditLogs/directoryAudits?$filter=${encodeURIComponent("result ne 'success'")}`);
      assert.equal(unsupported.status, 400);
      assertForbidden(await get(managerChanges(USERS.miriam.id, since(7 * DAY)), await tokenWithout('AuditLog.Read.All')), 'audits');
    });

    it('updateUser({manager}) appends an "Update user" entry the bot\'s filter finds, initiated by the app or by a given actor', async () => {
      const from = since(60_000);
      sandbox.state.updateUser(USERS.megan.id, { manager: USERS.lee.upn });
      const [entry] = values(await get(managerChanges(USERS.megan.id, from)));
      assert.ok(entry, 'the manager change is in the log');
      const target = (entry['targetResources'] as Json[])[0] as Json;
      assert.deepEqual(target['modifiedProperties'], [{ displayName: 'Manager', oldValue: JSON.stringify([USERS.nestor.id]), newValue: JSON.stringify([USERS.lee.id]) }]);
      assert.equal(((entry['initiatedBy'] as Json)['app'] as Json)['appId'], sandbox.clientId);
      sandbox.state.updateUser(USERS.megan.id, { manager: null }, { actor: USERS.johanna.upn });
      const entries = values(await get(managerChanges(USERS.megan.id, from)));
      assert.equal(entries.length, 2);
      const newest = entries[0] as Json;
      assert.equal(((newest['initiatedBy'] as Json)['user'] as Json)['id'], USERS.johanna.id);
      assert.equal(((newest['targetResources'] as Json[])[0] as Json)['modifiedProperties'] instanceof Array, true);
      assert.equal((((newest['targetResources'] as Json[])[0] as Json)['modifiedProperties'] as Json[])[0]?.['newValue'], '[]');
      sandbox.state.updateUser(USERS.megan.id, { manager: null });
      assert.equal(values(await get(managerChanges(USERS.megan.id, from))).length, 2, 'no change, no entry');
    });
  });

  describe('risky users', () => {
    it('Lidia is at high risk; a user without a record is 404', async () => {
      const lidia = await get(`/identityProtection/riskyUsers/${USERS.lidia.id}`);
      assert.equal(lidia.status, 200, lidia.text);
      const risk = body(lidia);
      assert.deepEqual([risk['id'], risk['riskLevel'], risk['riskState'], risk['userPrincipalName']], [USERS.lidia.id, 'high', 'atRisk', USERS.lidia.upn]);
      assert.equal(typeof risk['riskLastUpdatedDateTime'], 'string');
      const megan = await get(`/identityProtection/riskyUsers/${USERS.megan.id}`);
      assert.equal(megan.status, 404);
      sandbox.state.setRiskyUser(USERS.megan.id, { riskLevel: 'medium', riskState: 'atRisk' });
      assert.equal(body(await get(`/identityProtection/riskyUsers/${USERS.megan.id}`))['riskLevel'], 'medium');
    });

    it('needs IdentityRiskyUser.Read.All, and a P2 tenant', async () => {
      assertForbidden(await get(`/identityProtection/riskyUsers/${USERS.lidia.id}`, await tokenWithout('IdentityRiskyUser.Read.All')), 'risky');
      sandbox.knobs.riskyUsersLicensed = false;
      const unlicensed = await get(`/identityProtection/riskyUsers/${USERS.lidia.id}`);
      assert.equal(unlicensed.status, 403);
      assert.match(errorMessage(unlicensed), /P2/);
    });
  });

  describe('mail and sessions', () => {
    const mail = { message: { subject: 'Your pass', body: { contentType: 'Text', content: 'Hello' }, toRecipients: [{ emailAddress: { address: 'Megan@Contoso.com' } }] }, saveToSentItems: false };

    it('sendMail answers 202 with no body and lands in the outbox', async () => {
      const result = await post(`/users/${USERS.nestor.upn}/sendMail`, mail);
      assert.equal(result.status, 202, result.text);
      assert.equal(result.text, '');
      const [sent, ...rest] = sandbox.state.sentMail();
      assert.equal(rest.length, 0);
      assert.deepEqual(sent?.from, { id: USERS.nestor.id, userPrincipalName: USERS.nestor.upn });
      assert.deepEqual(sent?.recipients, ['megan@contoso.com']);
      assert.equal(sent?.message['subject'], 'Your pass');
      assert.equal(sent?.saveToSentItems, false);
    });

    it('sendMail refuses a message without recipients, a sender without a mailbox, and a token without Mail.Send', async () => {
      const none = await post(`/users/${USERS.nestor.id}/sendMail`, { message: { subject: 'x', body: { contentType: 'Text', content: 'x' } } });
      assert.equal(none.status, 400);
      assert.equal(errorCode(none), 'ErrorInvalidRecipients');
      assert.equal((await post(`/users/${USERS.pradeep.id}/sendMail`, mail)).status, 404);
      assertForbidden(await post(`/users/${USERS.nestor.id}/sendMail`, mail, await tokenWithout('Mail.Send')), 'mail');
      assert.equal(sandbox.state.sentMail().length, 0);
    });

    it('revokeSignInSessions answers 200 {"value": true}, is recorded and needs User.RevokeSessions.All', async () => {
      const result = await post(`/users/${USERS.megan.id}/revokeSignInSessions`);
      assert.equal(result.status, 200, result.text);
      assert.equal(body(result)['value'], true);
      assert.deepEqual(sandbox.state.revokedSessions().map((r) => r.userId), [USERS.megan.id]);
      const since = body(await get(`/users/${USERS.megan.id}?$select=signInSessionsValidFromDateTime`))['signInSessionsValidFromDateTime'];
      assert.equal(since, sandbox.state.revokedSessions()[0]?.at);
      assertForbidden(await post(`/users/${USERS.lasse.id}/revokeSignInSessions`, undefined, await tokenWithout('User.RevokeSessions.All')), 'revoke');
      assert.equal(sandbox.state.revokedSessions().length, 1);
    });
  });

  describe('$batch', () => {
    it('old and new items run in one batch, each authorized on its own: the forbidden one is 403, the rest 200', async () => {
      const t = await tokenWithout('IdentityRiskyUser.Read.All');
      sandbox.resetRequests();
      const result = await post('/$batch', {
        requests: [
          { id: '1', method: 'GET', url: `/users/${USERS.megan.id}?$select=id,signInActivity` },
          { id: '2', method: 'GET', url: `/users/${USERS.megan.id}/authentication/methods` },
          { id: '3', method: 'GET', url: `/identityProtection/riskyUsers/${USERS.lidia.id}` },
          { id: '4', method: 'GET', url: `/auditLogs/directoryAudits?$filter=${encodeURIComponent(`targetResources/any(t:t/id eq '${USERS.miriam.id}')`)}` },
          { id: '5', method: 'GET', url: `/users/${USERS.megan.id}/manager?$select=id` },
          { id: '6', method: 'POST', url: `/users/${USERS.megan.id}/revokeSignInSessions`, headers: { 'Content-Type': 'application/json' }, body: {} },
        ],
      }, t);
      assert.equal(result.status, 200);
      const statuses = Object.fromEntries((body(result)['responses'] as Json[]).map((r) => [r['id'], r['status']]));
      assert.deepEqual(statuses, { '1': 200, '2': 200, '3': 403, '4': 200, '5': 200, '6': 200 });
      const forbidden = (body(result)['responses'] as Json[]).find((r) => r['id'] === '3') as Json;
      assert.equal(((forbidden['body'] as Json)['error'] as Json)['code'], 'Authorization_RequestDenied');
      const record = sandbox.requests.find((r) => r.url.includes('$batch'));
      assert.deepEqual(record?.batchItemStatuses, [200, 200, 403, 200, 200, 200]);
      assert.equal(record?.batchItems?.[2], `/identityProtection/riskyUsers/${USERS.lidia.id}`);
    });
  });
});
