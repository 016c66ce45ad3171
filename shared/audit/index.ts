export { appendAudit } from './append-audit.js';
export { verifyAuditChain, type AuditVerification, type AuditDamageKind } from './verify-audit-chain.js';
export { listAuditEvents, type AuditFilter, type AuditPage } from './list-audit-events.js';
export { auditHash, hashedRecord, GENESIS_HASH, AUDIT_HASH_DOMAIN, type HashedAuditFields } from './audit-hash.js';
export { canonicalJson } from './canonical-json.js';
export { assertNoSecrets } from './secret-guard.js';
export {
  systemActor,
  anonymousActor,
  type AuditActor,
  type AuditActorKind,
  type AuditSubject,
  type AuditEvent,
  type AuditEventInput,
} from './audit-event.js';
