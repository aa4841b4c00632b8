/**
 * Check 8: the messaging endpoint is up and refuses anonymous callers. An unauthenticated
 * POST to /api/messages must be answered 401: that proves the bot runs there and checks
 * Bot Framework tokens. Anything else (no answer, 404, 5xx, and above all 2xx) is reported.
 */
import type { Config } from '../config';
import { missing, ok, skipped, type CheckResult } from './types';

const TITLE = 'Messaging endpoint';

export async function checkMessagingEndpoint(messagesUrl: string, timeoutInMs = 10_000): Promise<CheckResult> {
  // Well-formed, so that the missing token is the only reason to refuse it.
  const activity = {
    type: 'message',
    id: 'doctor-probe',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/teams/',
    from: { id: '29:doctor-probe' },
    recipient: { id: '28:doctor-probe' },
    conversation: { id: 'a:doctor-probe', conversationType: 'personal' },
    text: 'doctor: unauthenticated probe',
  };
  let status: number;
  try {
    const response = await fetch(messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(timeoutInMs),
      redirect: 'manual',
    });
    status = response.status;
    await response.body?.cancel();
  } catch (e) {
    const reason = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${timeoutInMs / 1000} s` : networkReason(e);
    return missing(TITLE, `POST ${messagesUrl} got no answer (${reason}): the bot is down or not reachable there`, 'start the bot, and check that PUBLIC_BASE_URL is the address its messaging endpoint (Azure Bot > Configuration) is reached at, DNS and TLS included.');
  }
  if (status === 401) return ok(TITLE, `POST ${messagesUrl} without a token is refused with 401: the bot is up and checks Bot Framework tokens`);
  if (status >= 200 && status < 300) {
    return missing(TITLE, `POST ${messagesUrl} without a token was accepted (${status}): the endpoint serves anonymous callers`, 'run the bot in production mode (MicrosoftAppId, MicrosoftAppTenantId and a credential set); never expose a sandbox-mode bot.');
  }
  return missing(TITLE, `POST ${messagesUrl} without a token answered ${status}, not 401`, 'check that PUBLIC_BASE_URL reaches the bot itself (a proxy or another app may be answering) and that the bot serves /api/messages.');
}

/** undici's "fetch failed" carries the socket error (or several, one per address) as its cause. */
function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown; errors?: Array<{ code?: unknown }> } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (typeof code === 'string') return code;
  if (typeof cause?.message === 'string') return cause.message;
  return e instanceof Error ? e.message : String(e);
}

export async function checkConfiguredEndpoint(config: Config): Promise<CheckResult> {
  if (config.mode === 'sandbox') return skipped(TITLE, 'sandbox mode: PUBLIC_BASE_URL is read in production only');
  if (!config.publicBaseUrl) return skipped(TITLE, 'PUBLIC_BASE_URL not set: the endpoint is not checked, and the cards leave out the guide link');
  return checkMessagingEndpoint(`${config.publicBaseUrl}/api/messages`);
}
