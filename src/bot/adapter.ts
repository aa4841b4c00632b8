/**
 * The Bot Framework adapter. Production: every incoming activity must carry a valid Bot
 * Framework token for our app id (botbuilder answers 401 otherwise). Sandbox: anonymous,
 * as the Agents Playground talks; only when the config has no app credentials at all.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  ActivityTypes,
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  StatusCodes,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationConstants,
  AuthenticationError,
  CertificateServiceClientCredentialsFactory,
  type AuthenticateRequestResult,
} from 'botframework-connector';
import type { BotIdentity } from '../config';
import { createLogger } from '../log';
import { invokeError } from './invokeResponses';

const log = createLogger('bot.adapter');

/**
 * Where channel tokens are checked against: an OpenID metadata document (whose `jwks_uri`
 * lists the signing keys) and the issuer those tokens must name. Code only, for tests that
 * serve their own keys: never read it from the environment, so no setting can point a
 * production bot at another issuer.
 */
export interface BotAuthSettingsOverride {
  ToBotFromChannelOpenIdMetadataUrl: string;
  ToBotFromChannelTokenIssuer: string;
}

export interface CreateAdapterOptions {
  mode: 'sandbox' | 'production';
  bot?: BotIdentity;
  tenantId: string;
  /** Production only; see BotAuthSettingsOverride. */
  authSettingsOverride?: BotAuthSettingsOverride;
}

export function createAdapter(options: CreateAdapterOptions): CloudAdapter {
  const adapter = new CloudAdapter(authenticationFor(options));
  adapter.onTurnError = turnErrorHandler;
  return adapter;
}

function authenticationFor(options: CreateAdapterOptions): ConfigurationBotFrameworkAuthentication {
  if (options.mode === 'sandbox') {
    // Refuse rather than quietly drop credentials someone meant to use.
    if (options.bot) throw new Error('Sandbox mode must not be given bot credentials.');
    if (options.authSettingsOverride) throw new Error('Sandbox mode checks no tokens, so it takes no authentication settings.');
    // No MicrosoftAppId: botbuilder then accepts and sends activities without tokens.
    return new ConfigurationBotFrameworkAuthentication({});
  }
  const bot = options.bot;
  if (!bot?.appId || !bot.appTenantId) throw new Error('Production mode needs the bot identity (MicrosoftAppId and MicrosoftAppTenantId).');
  const settings = {
    MicrosoftAppId: bot.appId,
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.appTenantId,
    ...(bot.appPassword ? { MicrosoftAppPassword: bot.appPassword } : {}),
    ...(options.authSettingsOverride ? publicCloudWith(options.authSettingsOverride) : {}),
  };
  if (bot.certificateThumbprint && bot.certificateKeyPath) {
    const privateKey = readFileSync(bot.certificateKeyPath, 'utf8');
    const credentials = new CertificateServiceClientCredentialsFactory(bot.appId, bot.certificateThumbprint, privateKey, bot.appTenantId);
    return new ChannelAuthentication(settings, credentials);
  }
  if (bot.appType === 'SingleTenant' && !bot.appPassword) {
    throw new Error('A SingleTenant bot needs MicrosoftAppPassword or a certificate.');
  }
  return new ChannelAuthentication(settings);
}

/**
 * Once any one of these is set, botbuilder takes every one of them literally (unset means
 * undefined, not the default), so the override starts from the public cloud's values.
 */
function publicCloudWith(override: BotAuthSettingsOverride): ConfigurationBotFrameworkAuthenticationOptions {
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ToBotFromChannelOpenIdMetadataUrl: override.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: override.ToBotFromChannelTokenIssuer,
  };
}

/** What jsonwebtoken throws for a token that fails verification (bad signature, not yet valid, ...). */
const REJECTED_TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * botbuilder answers 401 only for its own AuthenticationError; a bad signature or a token
 * that is not valid yet reaches CloudAdapter as jsonwebtoken's error and becomes a 500,
 * which tells the caller the fault is ours and invites retries. Those are the caller's
 * fault: answer 401. Anything else (say the key endpoint is down) stays a server error.
 */
class ChannelAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (e) {
      if (e instanceof Error && REJECTED_TOKEN_ERRORS.has(e.name)) throw new AuthenticationError(e.message, StatusCodes.UNAUTHORIZED);
      throw e;
    }
  }
}

/** Short id a person can quote to the admin; the log line with the details carries it too. */
export function newErrorReference(): string {
  return randomUUID().replace(/-/g, '').slice(0, 8);
}

export function turnErrorMessage(ref: string): string {
  // The turn may have failed after a pass was created, so never claim that nothing happened.
  return `Something went wrong on our side (ref ${ref}). Send \`status\` to see where your request stands before you try again: a pass may already have been created. If you need help, give this reference to your IT admin.`;
}

/** Logs the failure with a reference and tells the person in one sentence, without internals. */
export async function turnErrorHandler(context: TurnContext, error: Error): Promise<void> {
  const ref = newErrorReference();
  log.error('turn failed', {
    ref,
    error,
    activityType: context.activity.type,
    activityName: context.activity.name,
    userId: context.activity.from?.aadObjectId,
  });
  try {
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 500, body: invokeError(500, 'InternalError', turnErrorMessage(ref)) },
      });
    }
    await context.sendActivity(MessageFactory.text(turnErrorMessage(ref)));
  } catch (sendError) {
    log.warn('could not tell the person about a failed turn', { ref, error: sendError });
  }
}
