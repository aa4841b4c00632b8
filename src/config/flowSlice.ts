/** The workflow's slice of the validated application configuration. */
import type { Config } from './index';
import type { FlowConfig } from '../flow/types';

export function toFlowConfig(config: Config): FlowConfig {
  return {
    tenantId: config.tenantId,
    helpdeskGroupId: config.groups.helpdesk,
    ...(config.groups.fallbackApprover ? { fallbackApproverGroupId: config.groups.fallbackApprover } : {}),
    ...(config.groups.protected ? { protectedGroupId: config.groups.protected } : {}),
    privilegedRoleTemplateIds: [...config.privilegedRoleTemplateIds],
    tap: { ...config.tap },
    approvalTimeoutInMinutes: config.approvalTimeoutInMinutes,
    approvalWaiting: { ...config.approvalWaiting },
    limits: { ...config.limits },
    orgTimeZone: config.orgTimeZone,
    presets: structuredClone(config.presets),
    risk: { ...config.risk, userRiskLevels: [...config.risk.userRiskLevels] },
    ...(config.followThrough.enabled ? { followThrough: { checksPerSweep: config.followThrough.checksPerSweep, deletePass: config.followThrough.deletePass } } : {}),
    ...(config.onboardingGroupId ? { onboardingGroupId: config.onboardingGroupId } : {}),
  };
}
