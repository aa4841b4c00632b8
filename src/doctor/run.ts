/**
 * `npm run doctor`: every check in order, one result each. Checks that need a Graph token
 * are skipped (and say so) when there is none; storage and the endpoint are checked anyway.
 * Exit code 1 when anything required is missing, 0 otherwise (optional warnings included).
 */
import { GraphGateway } from '../graph/gateway';
import { checkTeamsCatalog } from './catalogCheck';
import { checkToken } from './credentialCheck';
import { checkConfiguredEndpoint } from './endpointCheck';
import { createGraphReader, doctorCredential } from './graphAccess';
import { checkGroups } from './groupChecks';
import { checkPermissions } from './permissionChecks';
import { checkTapPolicy } from './policyChecks';
import { checkStorage } from './storageCheck';
import { checkStepUp } from './stepUpCheck';
import { resolveTarget, type DoctorEnv, type TargetOptions } from './target';
import { skipped, type CheckResult } from './types';

export interface DoctorOptions extends TargetOptions {
  env: DoctorEnv;
}

export interface DoctorReport {
  /** Unknown when the configuration does not load. */
  mode: 'sandbox' | 'production' | 'unknown';
  results: CheckResult[];
  exitCode: 0 | 1;
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const resolved = await resolveTarget(options.env, options);
  const results: CheckResult[] = [resolved.result];
  const target = resolved.target;
  if (!target) return report('unknown', results);
  try {
    const { config, trustedCaPem } = target;
    const credential = doctorCredential(config, trustedCaPem);
    const token = await checkToken(config, credential);
    results.push(token.result);
    if (token.accessToken && token.claims) {
      const reader = createGraphReader({ baseUrl: config.graph.baseUrl, accessToken: token.accessToken, ...(trustedCaPem ? { trustedCaPem } : {}) });
      const graph = new GraphGateway({ credential, baseUrl: config.graph.baseUrl, maxRetries: 1, ...(trustedCaPem ? { trustedCaPem } : {}) });
      results.push(...checkPermissions(config, token.claims.roles, token.claims.appId));
      results.push(...(await checkTapPolicy(config, graph, reader)));
      results.push(...(await checkGroups(config, options.env, reader)));
      results.push(await checkTeamsCatalog(config, reader, token.claims.roles));
    } else {
      for (const title of ['Permissions', 'TAP policy', 'Groups', 'Teams app catalog']) results.push(skipped(title, 'not checked: there is no Graph token'));
    }
    results.push(...(await checkStepUp(config, trustedCaPem)));
    results.push(await checkStorage(config.storage));
    results.push(await checkConfiguredEndpoint(config));
    return report(config.mode, results);
  } finally {
    await target.stop();
  }
}

function report(mode: DoctorReport['mode'], results: CheckResult[]): DoctorReport {
  return { mode, results, exitCode: results.some((r) => r.status === 'missing') ? 1 : 0 };
}
