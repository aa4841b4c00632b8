/**
 * The step-up sign-in's two addresses, as plain pages:
 * - `GET /step-up/start/<intent>` (the card's "Sign in"): starts an attempt and sends
 *   the browser to Entra ID's sign-in. It approves nothing: only a sign-in of the approver can.
 * - `GET /step-up/done?code&state` (the redirect URI): redeems the code and hands the claims to
 *   the workflow, then says in one sentence what happened and to go back to Teams.
 * Both answer with the house's security headers and are never cached.
 */
import type { Config } from '../config';
import type { StepUpApp } from '../config/stepUp';
import type { BulkStepUpPort, StepUpOutcome, StepUpPolicy, StepUpRefusal, StepUpStart } from '../flow/decide/stepUp';
import type { TapFlow } from '../flow/tapFlow';
import { catalogue, LANGUAGE_TAGS, languageFor, type Catalogue, type Language } from '../i18n';
import { createLogger } from '../log';
import { HTML, securityHeaders, type PageResponse } from './page';
import { EntraStepUpSignIn, type StepUpSignInPort } from './stepUpSignIn';

const log = createLogger('web.stepUp');

const STEP_UP_START_PATH = '/step-up/start';
const STEP_UP_DONE_PATH = '/step-up/done';

const HEADERS: Record<string, string> = { ...securityHeaders("'none'"), 'Cache-Control': 'no-store' };

const STYLE =
  'body{font-family:Segoe UI,system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b;background:#fff}h1{font-size:1.5rem}';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, language: Language, title: string, sentence: string): PageResponse {
  return {
    status,
    contentType: HTML,
    headers: HEADERS,
    body:
      `<!doctype html>\n<html lang="${LANGUAGE_TAGS[language]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
      `<meta name="robots" content="noindex"><title>${escape(title)}</title><style>${STYLE}</style></head>` +
      `<body><main><h1>${escape(title)}</h1><p id="outcome">${escape(sentence)}</p></main></body></html>`,
  };
}

/** The sentence for each refusal, with the status a browser (and a test) sees. */
function refusalPage(because: StepUpRefusal, requestId: string | undefined, language: Language, policy: StepUpPolicy): PageResponse {
  const say: Catalogue['stepUp']['page'] = catalogue(language).stepUp.page;
  const id = requestId ?? '';
  const sentences: Record<StepUpRefusal, [number, string]> = {
    unknownLink: [404, say.unknownLink],
    used: [409, say.used],
    expired: [410, say.expired(policy.linkLifetimeInMinutes)],
    otherUser: [403, say.otherUser],
    otherTenant: [403, say.otherTenant],
    noContext: [403, say.noContext],
    stale: [403, say.stale(policy.maxAgeInMinutes)],
    notThisApproval: [403, say.notThisApproval],
    signInFailed: [400, say.signInFailed],
    requestClosed: [409, say.requestClosed(id)],
    notYours: [403, say.notYours(id)],
    notApplied: [500, say.notApplied(id)],
  };
  const [status, sentence] = sentences[because];
  return page(status, language, say.refusedTitle, sentence);
}

function outcomePage(outcome: StepUpOutcome, policy: StepUpPolicy): PageResponse {
  const language = languageFor(outcome.language);
  const say = catalogue(language).stepUp.page;
  switch (outcome.kind) {
    case 'applied':
      return page(200, language, say.appliedTitle, say.applied(outcome.requestId));
    case 'waiting':
      return page(200, language, say.waitingTitle, say.waiting(outcome.requestId));
    case 'refused':
      return refusalPage(outcome.because, outcome.requestId, language, policy);
  }
}

type StepUpFlow = Pick<TapFlow, 'beginStepUp' | 'finishStepUp'>;

/** GET /step-up/start/<intent>?lang=: a new attempt, and off to the sign-in. */
async function startPage(flow: StepUpFlow, signIn: StepUpSignInPort, policy: StepUpPolicy, intentId: string, lang: string | undefined, bulk?: BulkStepUpPort): Promise<PageResponse> {
  const language = languageFor(lang);
  const secrets = await signIn.newAttempt();
  const state = `${intentId}.${secrets.stateSecret}`;
  const started: StepUpStart = await flow.beginStepUp(intentId, { state, nonce: secrets.nonce, codeVerifier: secrets.codeVerifier, language }, bulk);
  if (started.kind === 'refused') return refusalPage(started.because, started.requestId, language, policy);
  const location = await signIn.authorizeUrl({ state, nonce: secrets.nonce, codeChallenge: secrets.codeChallenge });
  return { status: 302, contentType: HTML, headers: { ...HEADERS, Location: location }, body: '' };
}

/** GET /step-up/done: the sign-in came back, with a code or with an error. */
async function donePage(flow: StepUpFlow, signIn: StepUpSignInPort, policy: StepUpPolicy, query: Record<string, string | undefined>, bulk?: BulkStepUpPort): Promise<PageResponse> {
  const state = query['state'] ?? '';
  const code = query['code'];
  const error = query['error'];
  const outcome = await flow.finishStepUp(state, async (attempt) => {
    // Entra says why in `error` (the person cancelled, Conditional Access blocked them): the held approval is used up either way.
    if (error || !code) throw new Error(`the sign-in came back without a code (${(error ?? 'no code').slice(0, 60)})`);
    return signIn.redeem({ code, codeVerifier: attempt.codeVerifier, nonce: attempt.nonce });
  }, bulk);
  if (outcome.kind === 'refused') log.info('step-up refused', { requestId: outcome.requestId, outcome: outcome.because });
  return outcomePage(outcome, policy);
}

interface PageRoute {
  method: 'GET';
  path: string;
  handle(params: Record<string, string | undefined>, query: Record<string, string | undefined>): Promise<PageResponse>;
}

/**
 * The workflow's step-up settings, when step-up is on. `publicBaseUrl` is asked each time:
 * in the sandbox it is known only once the server listens.
 */
export function stepUpPolicy(config: Config, publicBaseUrl: () => string | undefined): StepUpPolicy | undefined {
  const s = config.stepUp;
  if (s.mode === 'off') return undefined;
  return {
    mode: s.mode,
    authContextId: s.authContextId,
    maxAgeInMinutes: s.maxAgeInMinutes,
    linkLifetimeInMinutes: s.linkLifetimeInMinutes,
    startUrl: (intentId) => {
      const base = publicBaseUrl();
      return base ? `${base}${STEP_UP_START_PATH}/${intentId}` : undefined;
    },
  };
}

export interface StepUpRoutesOptions {
  config: Config;
  flow: StepUpFlow;
  policy: StepUpPolicy;
  publicBaseUrl: () => string | undefined;
  /** Sandbox only: the sandbox tenant's CA, and its app as the one approvers sign in to. */
  sandbox?: { caPem: string; app: StepUpApp };
  /** The bulk road, when configured: its approvals step up too. */
  bulk?: BulkStepUpPort;
  /** Tests: a sign-in of their own instead of MSAL against Entra. */
  signIn?: StepUpSignInPort;
}

/** The two pages; the MSAL client is made on first use, when the redirect URI is known. */
export function stepUpRoutes(options: StepUpRoutesOptions): PageRoute[] {
  const app = options.config.stepUp.app ?? options.sandbox?.app;
  if (!app && !options.signIn) throw new Error('APPROVER_STEP_UP is on but no app is configured to sign in to (STEP_UP_CLIENT_ID)');
  let signIn = options.signIn;
  const signInNow = (): StepUpSignInPort => {
    if (signIn) return signIn;
    const base = options.publicBaseUrl();
    if (!base || !app) throw new Error('The step-up sign-in needs the bot\'s public address (PUBLIC_BASE_URL)');
    signIn = new EntraStepUpSignIn({
      app,
      tenantId: options.config.tenantId,
      authorityHost: options.config.graph.authorityHost,
      redirectUri: `${base}${STEP_UP_DONE_PATH}`,
      authContextId: options.policy.authContextId,
      maxAgeInMinutes: options.policy.maxAgeInMinutes,
      ...(options.sandbox ? { trustedCaPem: options.sandbox.caPem } : {}),
    });
    return signIn;
  };
  return [
    { method: 'GET', path: `${STEP_UP_START_PATH}/:intent`, handle: (p, q) => startPage(options.flow, signInNow(), options.policy, p['intent'] ?? '', q['lang'], options.bulk) },
    { method: 'GET', path: STEP_UP_DONE_PATH, handle: (_p, q) => donePage(options.flow, signInNow(), options.policy, q, options.bulk) },
  ];
}
