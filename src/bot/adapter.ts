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
  SkillValidation,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
} from 'botframework-connector';
import type { BotIdentity } from '../config';
import { createLogger } from '../log';
import { invokeError } from './invokeResponses';
import { chatOfTurn } from './reader';

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
  const channelIssuer = options.authSettingsOverride?.ToBotFromChannelTokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer;
  if (bot.certificateThumbprint && bot.certificateKeyPath) {
    const privateKey = readFileSync(bot.certificateKeyPath, 'utf8');
    const credentials = new CertificateServiceClientCredentialsFactory(bot.appId, bot.certificateThumbprint, privateKey, bot.appTenantId);
    return new ChannelAuthentication(channelIssuer, settings, credentials);
  }
  if (bot.appType === 'SingleTenant' && !bot.appPassword) {
    throw new Error('A SingleTenant bot needs MicrosoftAppPassword or a certificate.');
  }
  return new ChannelAuthentication(channelIssuer, settings);
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

/** botbuilder routes activities with this channel id to its App Service Extension validation (Entra tokens). */
const ASE_CHANNEL_ID = 'AseChannel';

/** An issuer is attacker-chosen text: log no more of it than an issuer URL needs. */
const LOGGED_ISSUER_MAX_CHARS = 120;

/**
 * The `iss` claim of a `Bearer <JWT>` header, read WITHOUT verifying anything: only to decide
 * whether the token may go on to botbuilder's validation at all. Split as botbuilder's
 * JwtTokenExtractor splits (exactly "Bearer" and one token), so anything it would not read as
 * one bearer token yields undefined here too.
 */
function unverifiedIssuer(authHeader: string): string | undefined {
  const parts = authHeader.split(' ');
  if (parts.length !== 2 || parts[0] !== 'Bearer') return undefined;
  const segments = parts[1]!.split('.');
  if (segments.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(segments[1]!, 'base64url').toString('utf8'));
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
    const iss = (payload as Record<string, unknown>)['iss'];
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Production accepts Bot Framework channel tokens only.
 *
 * botbuilder's ParameterizedBotFrameworkAuthentication routes each token by its unverified
 * claims (JwtTokenValidation_authenticateToken): a channel id of "AseChannel" goes to ASE
 * validation, skill-shaped claims (`ver`, `aud`, an `appid`/`azp` other than `aud`) to
 * SkillValidation, an Entra issuer (sts.windows.net/..., login.microsoftonline.com/.../v2.0)
 * to EmulatorValidation, and only the rest to ChannelValidation. The skill and Emulator paths
 * check the token against login.microsoftonline.com's common keys and accept any Entra token
 * whose `appid`/`azp` is our app id: whoever holds the bot's secret can mint one with a
 * client-credentials grant and post activities as anyone. botbuilder has no setting to turn
 * those paths off (ConfigurationBotFrameworkAuthentication's options and
 * AuthenticationConfiguration only add issuers, endorsements and a claims check that runs
 * after the keys were fetched), so this override refuses such tokens before botbuilder sees
 * them: nothing is fetched, nothing reaches the bot, and CloudAdapter answers 401 for
 * AuthenticationError. This bot is no skill and no skill host, and Emulator tokens belong in
 * sandbox mode, which checks no tokens at all.
 *
 * A token that passes here is still fully validated by botbuilder's channel path (signature
 * against the channel JWKS, issuer, audience, endorsements, service URL).
 *
 * Also: botbuilder answers 401 only for its own AuthenticationError; a bad signature or a
 * token that is not valid yet reaches CloudAdapter as jsonwebtoken's error and becomes a 500,
 * which tells the caller the fault is ours and invites retries. Those are the caller's
 * fault: answer 401. Anything else (say the key endpoint is down) stays a server error.
 */
class ChannelAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    /** The one issuer accepted: the Bot Framework's (or the test override's). */
    private readonly channelIssuer: string,
    ...args: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>
  ) {
    super(...args);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    if (activity.channelId === ASE_CHANNEL_ID) this.refuse('token for the App Service Extension channel');
    this.refuseUnlessChannelToken(authHeader);
    return this.mappingTokenErrors(() => super.authenticateRequest(activity, authHeader));
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    if (channelIdHeader === ASE_CHANNEL_ID) this.refuse('token for the App Service Extension channel');
    this.refuseUnlessChannelToken(authHeader);
    return this.mappingTokenErrors(() => super.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  /** What a skill host checks on a skill's calls back to it; this bot hosts no skills. */
  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    this.refuseUnlessChannelToken(authHeader);
    return this.mappingTokenErrors(() => super.authenticateChannelRequest(authHeader));
  }

  private refuseUnlessChannelToken(authHeader: string | undefined): void {
    const header = authHeader ?? '';
    // An empty header goes on: botbuilder answers it with its own 401, as before.
    if (!header.trim()) return;
    const issuer = unverifiedIssuer(header);
    if (issuer !== this.channelIssuer) {
      this.refuse(issuer === undefined ? 'token without a readable issuer' : `token from issuer ${issuer.slice(0, LOGGED_ISSUER_MAX_CHARS)}`);
    }
    // Skill claims send botbuilder to SkillValidation whatever the issuer says. (Not
    // EmulatorValidation.isTokenFromEmulator: it adds the token's `tid` to a process-wide
    // issuer list, which grows with every tenant an unauthenticated caller names.)
    if (SkillValidation.isSkillToken(header)) this.refuse('skill (bot-to-bot) token');
  }

  /** Logs what was refused (never the token itself) and throws what CloudAdapter answers with 401. */
  private refuse(what: string): never {
    log.warn(`${what} refused: production accepts only Bot Framework channel tokens`);
    throw new AuthenticationError('Unauthorized. Only Bot Framework channel tokens are accepted.', StatusCodes.UNAUTHORIZED);
  }

  private async mappingTokenErrors<T>(validate: () => Promise<T>): Promise<T> {
    try {
      return await validate();
    } catch (e) {
      if (e instanceof Error && REJECTED_TOKEN_ERRORS.has(e.name)) throw new AuthenticationError(e.message, StatusCodes.UNAUTHORIZED);
      throw e;
    }
  }
}

/** Short id a person can quote to the admin; the log line with the details carries it too. */
function newErrorReference(): string {
  return randomUUID().replace(/-/g, '').slice(0, 8);
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
  // The turn may have failed after a pass was created, so the sentence never claims that nothing happened.
  const message = chatOfTurn(context.activity).turnFailed(ref);
  try {
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 500, body: invokeError(500, 'InternalError', message) },
      });
    }
    await context.sendActivity(MessageFactory.text(message));
  } catch (sendError) {
    log.warn('could not tell the person about a failed turn', { ref, error: sendError });
  }
}
