import { appendAudit } from '../../../shared/audit/index.js';
import type { SessionClaims } from './session-tokens.js';
import { revokeSession } from './session-store.js';
import type { SessionRuntime } from './session-runtime.js';

/** Revokes the caller's session by its jti; the token stops working on every replica at once. */
export async function signOut(rt: SessionRuntime, session: SessionClaims): Promise<void> {
  const now = rt.now();
  await rt.knex.transaction(async (trx) => {
    if (!(await revokeSession(trx, session.jti, 'logout', now))) return;
    await appendAudit(trx, {
      actor: { kind: 'staff', id: session.staffId },
      action: 'session.logout',
      subject: { kind: 'staff', id: session.staffId },
      details: { username: session.username, sessionId: session.jti },
      at: now,
    });
  });
}
