/**
 * The Bot Framework adapter. Production: every incoming activity must carry a valid Bot
 * Framework token for our app id (botbuilder answers 401 otherwise). Sandbox: anonymous,
 * as the Agents Playground talks; only when the config has no app credentials at all.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type TurnContext,
} from 'botbuilder';
import { CertificateServiceClientCredentialsFactory } from 'botframework-connector';
import type { BotIdentity } from '../config';
import { createLogger } from '../log';
import { invokeError } from './invokeResponses';

const log = createLogger('bot.adapter');

export interface CreateAdapterOptions {
  mode: 'sandbox' | 'production';
  bot?: BotIdentity;
  tenantId: string;
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
  };
  if (bot.certificateThumbprint && bot.certificateKeyPath) {
    const privateKey = readFileSync(bot.certificateKeyPath, 'utf8');
    const credentials = new CertificateServiceClientCredentialsFactory(bot.appId, bot.certificateThumbprint, privateKey, bot.appTenantId);
    return new ConfigurationBotFrameworkAuthentication(settings, credentials);
  }
  if (bot.appType === 'SingleTenant' && !bot.appPassword) {
    throw new Error('A SingleTenant bot needs MicrosoftAppPassword or a certificate.');
  }
  return new ConfigurationBotFrameworkAuthentication(settings);
}

/** Short id a person can quote to the admin; the log line with the details carries it too. */
export function newErrorReference(): string {
  return randomUUID().replace(/-/g, '').slice(0, 8);
}

export function turnErrorMessage(ref: string): string {
  return `Something went wrong on our side (ref ${ref}). Nothing was issued. Try again, or give this reference to your IT admin.`;
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
