/**
 * Reads the claims of an access token without verifying it: the doctor only wants to know
 * which application permissions (`roles`) Entra put in the token it was just given.
 */
export interface TokenClaims {
  roles: string[];
  tenantId?: string;
  appId?: string;
}

export function decodeTokenClaims(accessToken: string): TokenClaims {
  const payload = accessToken.split('.')[1];
  if (!payload) throw new Error('the access token is not a JWT');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const roles = Array.isArray(claims['roles']) ? claims['roles'].filter((r): r is string => typeof r === 'string') : [];
  return {
    roles,
    ...(typeof claims['tid'] === 'string' ? { tenantId: claims['tid'] } : {}),
    ...(typeof claims['appid'] === 'string' ? { appId: claims['appid'] } : typeof claims['azp'] === 'string' ? { appId: claims['azp'] } : {}),
  };
}
