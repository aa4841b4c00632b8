/**
 * Check 6: the bot's app is in the tenant's Teams app catalog under TEAMS_APP_CATALOG_ID
 * (`GET /appCatalogs/teamsApps/{id}`). The bot itself never reads the catalog: it installs
 * itself with TeamsAppInstallation.ReadWriteSelfForUser.All, which does not allow reading
 * it. Graph's least-privileged application permission for the read is AppCatalog.Read.All
 * (AppCatalog.ReadWrite.All, and Directory.Read.All for backward compatibility, also work);
 * without one the doctor says it could not verify the id and how to check it by hand.
 */
import type { Config } from '../config';
import { toGraphError } from '../graph/errors';
import { asObject } from '../graph/shapes';
import { graphErrorOf, type GraphReader } from './graphAccess';
import { APP_CATALOG_READ_PERMISSION, grantOf } from './permissions';
import { grantFix } from './permissionChecks';
import { missing, ok, optional, skipped, type CheckResult } from './types';

const TITLE = 'Teams app catalog';
const CATALOG_READERS = [APP_CATALOG_READ_PERMISSION, 'AppCatalog.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

export async function checkTeamsCatalog(config: Config, reader: GraphReader, roles: readonly string[]): Promise<CheckResult> {
  if (config.mode === 'sandbox') return skipped(TITLE, 'sandbox mode: the bot reaches people through the Playground, no catalog app is used');
  const id = config.teamsAppCatalogId;
  if (!id) return skipped(TITLE, 'TEAMS_APP_CATALOG_ID not set: approvers who never opened the bot are asked to open it first');
  const byHand = `GET /appCatalogs/teamsApps?$filter=externalId eq '<manifest id>' in Graph Explorer gives the id to use`;
  const held = new Set(roles);
  if (!CATALOG_READERS.some((p) => grantOf(p, held).granted)) {
    return optional(
      TITLE,
      `TEAMS_APP_CATALOG_ID ${id} could not be verified: reading the catalog needs ${APP_CATALOG_READ_PERMISSION}, which the bot itself does not need`,
      `check it by hand (${byHand}), or for the doctor only ${grantFix(APP_CATALOG_READ_PERMISSION, undefined)}`,
    );
  }
  let answer;
  try {
    answer = await reader.get(`/appCatalogs/teamsApps/${encodeURIComponent(id)}`);
  } catch (e) {
    return missing(TITLE, `could not be read: Microsoft Graph did not answer (${e instanceof Error ? e.message : String(e)})`, 'check the network path to GRAPH_BASE_URL and run the doctor again.');
  }
  if (answer.status === 200) {
    const app = asObject(answer.body);
    const name = typeof app['displayName'] === 'string' ? app['displayName'] : '(no name)';
    const how = typeof app['distributionMethod'] === 'string' ? `, distributed by ${app['distributionMethod']}` : '';
    return ok(TITLE, `TEAMS_APP_CATALOG_ID ${id} is "${name}"${how}`);
  }
  if (answer.status === 404) {
    return missing(TITLE, `TEAMS_APP_CATALOG_ID ${id} is not in the tenant's Teams app catalog`, `upload the app (manifest/) in the Teams admin center and set TEAMS_APP_CATALOG_ID to its catalog id, not the manifest id: ${byHand}.`);
  }
  const error = toGraphError({ status: answer.status, ...graphErrorOf(answer) }, 'getUser');
  return missing(TITLE, `TEAMS_APP_CATALOG_ID ${id} could not be read: ${error.userMessage}`, 'run the doctor again; if it persists, check Microsoft Graph service health.');
}
