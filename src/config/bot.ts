/** The bot's own Microsoft Entra identity (MicrosoftApp* variables): production only. */
import type { Reader } from './reader';

type AppType = 'SingleTenant' | 'UserAssignedMSI';

export interface BotIdentity {
  appType: AppType;
  appId: string;
  appPassword?: string;
  certificateThumbprint?: string;
  certificateKeyPath?: string;
  appTenantId: string;
}

export function parseBot(r: Reader): BotIdentity | undefined {
  const appType = r.oneOf<AppType>('MicrosoftAppType', ['SingleTenant', 'UserAssignedMSI'], 'SingleTenant');
  const appId = r.guid('MicrosoftAppId', { required: 'set it to the bot\'s Microsoft Entra app (client) id' });
  const appTenantId = r.guid('MicrosoftAppTenantId', { required: 'set it to the tenant id of the bot\'s app registration' });
  const appPassword = r.raw('MicrosoftAppPassword');
  const certificateThumbprint = r.raw('MicrosoftAppCertificateThumbprint');
  const certificateKeyPath = r.raw('MicrosoftAppCertificateKeyPath');
  if (appType === 'SingleTenant' && !appPassword && !certificateThumbprint) {
    r.problems.push('MicrosoftAppPassword is missing: a SingleTenant bot needs a client secret, or MicrosoftAppCertificateThumbprint with MicrosoftAppCertificateKeyPath.');
  }
  if (certificateThumbprint && !certificateKeyPath) {
    r.problems.push('MicrosoftAppCertificateKeyPath is missing: MicrosoftAppCertificateThumbprint needs the path of the certificate\'s PEM private key.');
  }
  if (certificateThumbprint && !/^[0-9a-f]{40}$/i.test(certificateThumbprint)) {
    r.problems.push('MicrosoftAppCertificateThumbprint is not a SHA-1 thumbprint (40 hex digits).');
  }
  if (!appId || !appTenantId) return undefined;
  return {
    appType,
    appId,
    appTenantId,
    ...(appPassword ? { appPassword } : {}),
    ...(certificateThumbprint ? { certificateThumbprint } : {}),
    ...(certificateKeyPath ? { certificateKeyPath } : {}),
  };
}
