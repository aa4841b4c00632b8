/** Bulk passes for a group (src/flow/bulk). */
import { BULK_ELIGIBILITIES, type BulkEligibility } from '../flow/gate/enrolment';
import { optional, type Reader } from './reader';

export interface BulkConfig {
  approverGroupId?: string;
  includeNestedGroups: boolean;
  maxMembers: number;
  writesPerSecond: number;
  deliverTo: 'requester' | 'manager';
  /** Who may get a bulk pass (src/flow/gate/enrolment.ts): people with no sign-in method yet, or anyone. */
  eligibility: BulkEligibility;
}

export function parseBulk(r: Reader): BulkConfig {
  return {
    ...optional('approverGroupId', r.guid('BULK_APPROVER_GROUP_ID')),
    includeNestedGroups: r.bool('BULK_INCLUDE_NESTED', false),
    maxMembers: r.int('BULK_MAX_MEMBERS', 300, 1, 5000),
    writesPerSecond: r.int('BULK_WRITES_PER_SECOND', 15, 1, 200),
    deliverTo: r.oneOf<'requester' | 'manager'>('BULK_DELIVER_TO', ['requester', 'manager'], 'requester'),
    eligibility: r.oneOf<BulkEligibility>('BULK_ELIGIBILITY', BULK_ELIGIBILITIES, 'unenrolled'),
  };
}
