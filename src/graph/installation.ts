/** The bot installing its own Teams app for a person, so it can message someone who never opened a chat with it. */
import { GraphError } from '../errors';
import { said } from '../i18n/said';
import { createLogger } from '../log';
import type { GraphContext } from './client';
import { failureOf, toGraphError, type GraphFailure } from './errors';
import { userPath } from './odata';
import { TEAMS_APP_INSTALL_PERMISSION, type TeamsAppInstallResult } from './types';

// Every gateway module logs as 'graph', so the gateway's lines read as one source whichever module wrote them.
const log = createLogger('graph');

/**
 * Installs the bot's Teams app in the person's personal scope (Graph v1.0 "Install app
 * for user"; 201 with no body). The bind URL names this gateway's own Graph origin, so
 * national clouds and the sandbox bind to their own catalog.
 */
export async function installAppForUser(graph: GraphContext, userId: string, teamsAppCatalogId: string): Promise<TeamsAppInstallResult> {
  let path: string;
  try {
    if (!/^[\w.-]{1,128}$/.test(teamsAppCatalogId)) throw new RangeError('not a Teams app catalog id');
    path = `${userPath(userId)}/teamwork/installedApps`;
  } catch (e) {
    throw new GraphError({
      code: 'badRequest',
      status: 400,
      userMessage: said('graphBadAppIdentifier'),
      detail: `installAppForUser: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  const bind = `${graph.origin}/v1.0/appCatalogs/teamsApps/${teamsAppCatalogId}`;
  try {
    await graph.client.api(path).post({ 'teamsApp@odata.bind': bind });
  } catch (e) {
    const failure = failureOf(e);
    // Installing twice is not an error for us: the app is there, which is all we need.
    if (failure.status === 409) return 'alreadyInstalled';
    const error = installError(failure, e);
    log.warn('Graph call failed', {
      operation: 'installAppForUser',
      errorCode: error.code,
      status: error.status,
      graphCode: error.graphCode ?? null,
      ...(error.missingPermission ? { missingPermission: error.missingPermission } : {}),
    });
    throw error;
  }
  log.info('installed the Teams app for a user', { userId });
  return 'installed';
}

/**
 * `installAppForUser` is not one of errors.ts' operations (that catalogue is the workflow's):
 * 403 and 404 get their own sentences, everything else (throttling, outages, sign-in) the
 * shared classification.
 */
function installError(failure: GraphFailure, cause: unknown): GraphError {
  const detail = `Graph installAppForUser failed with status ${failure.status}${failure.graphCode ? ` (${failure.graphCode})` : ''}: ${failure.message ?? ''}`;
  const base = { status: failure.status, detail, ...(failure.graphCode ? { graphCode: failure.graphCode } : {}), cause };
  if (failure.status === 403 && failure.kind === undefined) {
    return new GraphError({
      ...base,
      code: 'forbidden',
      missingPermission: TEAMS_APP_INSTALL_PERMISSION,
      userMessage: said('graphInstallForbidden', { permission: TEAMS_APP_INSTALL_PERMISSION }),
    });
  }
  if (failure.status === 404) {
    return new GraphError({
      ...base,
      code: 'notFound',
      userMessage: said('graphInstallNotFound'),
    });
  }
  const shared = toGraphError(failure, 'getUser', cause);
  return new GraphError({
    ...base,
    code: shared.code,
    userMessage: shared.said ?? shared.userMessage,
    ...(shared.retryAfterSeconds !== undefined ? { retryAfterSeconds: shared.retryAfterSeconds } : {}),
  });
}
