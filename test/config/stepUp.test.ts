/**
 * APPROVER_STEP_UP and STEP_UP_* (src/config/stepUp.ts): off unless asked for; when on in
 * production, the app approvers sign in to and the address the sign-in returns to must be
 * there, and every problem is reported at once.
 */
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { APP, problemsOf, production } from '../support/configEnv';

const STEP_UP_APP = '77777777-7777-4888-9999-000000000000';

describe('step-up configuration', () => {
  it('is off by default, in production and in the sandbox alike (npm start turns it on for the sandbox)', () => {
    assert.equal(loadConfig(production()).stepUp.mode, 'off');
    assert.equal(loadConfig({}).stepUp.mode, 'off');
  });

  it('on in production: a federated credential by default, context c1, five minutes of sign-in age, ten of link', () => {
    const c = loadConfig(production({ APPROVER_STEP_UP: 'always', STEP_UP_CLIENT_ID: STEP_UP_APP, PUBLIC_BASE_URL: 'https://tap.contoso.com' }));
    assert.deepEqual(c.stepUp, { mode: 'always', authContextId: 'c1', maxAgeInMinutes: 5, linkLifetimeInMinutes: 10, app: { clientId: STEP_UP_APP, credential: { kind: 'federated' } } });
  });

  it("a SingleTenant bot's own app registration is the step-up app unless another is named", () => {
    const c = loadConfig(production({ APPROVER_STEP_UP: 'elevated', PUBLIC_BASE_URL: 'https://tap.contoso.com', STEP_UP_CREDENTIAL: 'secret', STEP_UP_CLIENT_SECRET: 's3cret' }));
    assert.deepEqual(c.stepUp.app, { clientId: APP, credential: { kind: 'secret', clientSecret: 's3cret' } });
  });

  it('on without a public address, or with a secret credential and no secret, names each missing setting at once', () => {
    const problems = problemsOf(production({ APPROVER_STEP_UP: 'always', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppPassword: '', STEP_UP_CREDENTIAL: 'secret' }));
    assert.ok(problems.some((p) => p.startsWith('STEP_UP_CLIENT_ID is missing')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('PUBLIC_BASE_URL is missing')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('STEP_UP_CLIENT_SECRET is missing')), problems.join('\n'));
  });

  it('refuses a mode, a context, an age or a link lifetime it does not know, and never echoes a secret', () => {
    const problems = problemsOf(
      production({ APPROVER_STEP_UP: 'sometimes', STEP_UP_AUTH_CONTEXT: 'passkey', STEP_UP_MAX_AGE_MINUTES: '600', STEP_UP_LINK_MINUTES: '1' }),
    );
    assert.ok(problems.some((p) => /^APPROVER_STEP_UP must be one of off, elevated, always/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /^STEP_UP_AUTH_CONTEXT must be the id of a Conditional Access authentication context, c1 to c99/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('STEP_UP_MAX_AGE_MINUTES is out of range')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('STEP_UP_LINK_MINUTES is out of range')), problems.join('\n'));
  });
});
