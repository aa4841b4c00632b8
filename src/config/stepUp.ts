/**
 * The approver's step-up sign-in (APPROVER_STEP_UP and STEP_UP_*): when an approval must be
 * confirmed by a fresh sign-in that meets a Conditional Access authentication context, and the
 * Entra app registration the approver signs in to. See docs/security.md ("Step-up") and
 * docs/deploy.md for the tenant side.
 */
import { STEP_UP_MODES, type StepUpMode } from '../flow/decide/stepUp';
import { truncate, type Reader } from './reader';

/** How the bot proves it is the step-up app when it redeems the code. */
type StepUpAppCredential =
  /** A federated credential on the app registration that trusts the bot's managed identity: no secret to leak or rotate. */
  | { kind: 'federated'; managedIdentityClientId?: string }
  | { kind: 'secret'; clientSecret: string };

export interface StepUpApp {
  clientId: string;
  credential: StepUpAppCredential;
}

export interface StepUpConfig {
  mode: StepUpMode;
  /** The Conditional Access authentication context the sign-in must satisfy (`c1`..`c99`). */
  authContextId: string;
  /** How old the sign-in (`auth_time`) may be when the approval is applied. */
  maxAgeInMinutes: number;
  /** How long the held approval waits for its sign-in. */
  linkLifetimeInMinutes: number;
  /** The app the approver signs in to; absent when step-up is off, and in sandbox mode until pointed at the sandbox. */
  app?: StepUpApp;
}

const AUTH_CONTEXT = /^c([1-9]|[1-9]\d)$/;

/**
 * The default is off: step-up needs an authentication context and a Conditional Access policy
 * only a tenant admin can create (docs/deploy.md), and a default that refused to start every
 * existing deployment would be worse than one `npm run doctor` warns about. `npm start` in
 * sandbox mode turns it on (dev/start.ts), so a newcomer sees it.
 */
export function parseStepUp(r: Reader, production: boolean, botAppId: string | undefined): StepUpConfig {
  const mode = r.oneOf<StepUpMode>('APPROVER_STEP_UP', STEP_UP_MODES, 'off');
  const authContextId = (r.raw('STEP_UP_AUTH_CONTEXT') ?? 'c1').toLowerCase();
  if (!AUTH_CONTEXT.test(authContextId)) {
    r.problems.push(`STEP_UP_AUTH_CONTEXT must be the id of a Conditional Access authentication context, c1 to c99 (got "${truncate(authContextId)}").`);
  }
  const maxAgeInMinutes = r.int('STEP_UP_MAX_AGE_MINUTES', 5, 1, 60);
  const linkLifetimeInMinutes = r.int('STEP_UP_LINK_MINUTES', 10, 2, 30);
  const config: StepUpConfig = { mode, authContextId, maxAgeInMinutes, linkLifetimeInMinutes };
  if (!production || mode === 'off') return config;

  const clientId = r.guid('STEP_UP_CLIENT_ID') ?? botAppId;
  if (!clientId) r.problems.push('STEP_UP_CLIENT_ID is missing: set it to the client id of the app registration approvers sign in to (docs/deploy.md, "Step-up"), or set APPROVER_STEP_UP=off.');
  if (!r.raw('PUBLIC_BASE_URL')) r.problems.push('PUBLIC_BASE_URL is missing: the step-up sign-in returns to PUBLIC_BASE_URL/step-up/done, so it must be the bot\'s https address.');
  const kind = r.oneOf<StepUpAppCredential['kind']>('STEP_UP_CREDENTIAL', ['federated', 'secret'], 'federated');
  let credential: StepUpAppCredential | undefined;
  if (kind === 'secret') {
    const clientSecret = r.required('STEP_UP_CLIENT_SECRET', 'STEP_UP_CREDENTIAL=secret needs the app registration\'s client secret (prefer STEP_UP_CREDENTIAL=federated)');
    if (clientSecret) credential = { kind: 'secret', clientSecret };
  } else {
    const managedIdentityClientId = r.guid('STEP_UP_MANAGED_IDENTITY_CLIENT_ID');
    credential = { kind: 'federated', ...(managedIdentityClientId ? { managedIdentityClientId } : {}) };
  }
  return clientId && credential ? { ...config, app: { clientId, credential } } : config;
}
