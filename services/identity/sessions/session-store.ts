import type { Knex } from 'knex';
import type { StaffRole } from '../roles.js';
import type { StaffStatus } from '../staff/staff-accounts.js';

export type RevocationReason = 'logout' | 'password-change' | 'password-reset' | 'disabled';

export async function insertSession(trx: Knex, session: { jti: string; staffId: string; issuedAt: Date; expiresAt: Date }): Promise<void> {
  await trx('staff_sessions').insert({
    jti: session.jti,
    staff_id: session.staffId,
    issued_at: session.issuedAt,
    expires_at: session.expiresAt,
  });
}

/** Revokes one session; false when it was already revoked (or never existed). */
export async function revokeSession(trx: Knex, jti: string, reason: RevocationReason, now: Date): Promise<boolean> {
  const changed = await trx('staff_sessions').where({ jti }).whereNull('revoked_at').update({ revoked_at: now, revoked_reason: reason });
  return Number(changed) > 0;
}

/** Revokes every live session of one staff member, except `keep` (the caller's own, on a self password change). */
export async function revokeSessionsOf(trx: Knex, staffId: string, reason: RevocationReason, now: Date, keep?: string): Promise<number> {
  const query = trx('staff_sessions').where({ staff_id: staffId }).whereNull('revoked_at').where('expires_at', '>', now);
  if (keep) query.whereNot({ jti: keep });
  return Number(await query.update({ revoked_at: now, revoked_reason: reason }));
}

/** Sessions long expired are only clutter: their tokens fail on `exp` before the row is read. */
export async function purgeExpiredSessions(knex: Knex, now: Date, keepForMs = 24 * 3600_000): Promise<number> {
  return Number(await knex('staff_sessions').where('expires_at', '<', new Date(now.getTime() - keepForMs)).delete());
}

export interface SessionAuthRow {
  staff_id: string;
  revoked_at: Date | null;
  expires_at: Date;
  status: StaffStatus;
  roles: StaffRole[];
  username: string;
  display_name: string;
}

/** One indexed read per authenticated request: the session and the account's current status and roles. */
export async function findSessionForAuth(knex: Knex, jti: string): Promise<SessionAuthRow | undefined> {
  return (await knex('staff_sessions as s')
    .join('staff_accounts as a', 'a.id', 's.staff_id')
    .where('s.jti', jti)
    .first('s.staff_id', 's.revoked_at', 's.expires_at', 'a.status', 'a.roles', 'a.username', 'a.display_name')) as SessionAuthRow | undefined;
}
