import type { AuditActor } from '../../../shared/audit/index.js';
import type { Principal } from '../../../shared/http/index.js';

/** The audit actor for a request made by a signed-in staff member (or a reader, for relayed desk work). */
export function staffActor(principal: Principal | undefined): AuditActor {
  if (!principal) return { kind: 'anonymous', id: null };
  return { kind: principal.kind === 'reader' ? 'reader' : 'staff', id: principal.id };
}
