export { AuditLog, AuditRefusedError, type AuditLogOptions } from './auditLog';
export { findSecret, type SecretDetector } from './secretGuard';
export type { AuditAction, AuditEvent, AuditSink } from './types';
