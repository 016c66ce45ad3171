import type { Knex } from 'knex';
import type { StaffRole } from '../roles.js';

export type StaffStatus = 'active' | 'disabled';

/** Lower-case letters, digits, `.`, `_`, `-`; 2 to 64 characters, starting with a letter or digit. */
export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{1,63}$';
const usernameRegExp = new RegExp(USERNAME_PATTERN);

export function isValidUsername(value: string): boolean {
  return usernameRegExp.test(value);
}

/** staff_accounts as stored. */
export interface StaffAccountRow {
  id: string;
  username: string;
  display_name: string;
  roles: StaffRole[];
  status: StaffStatus;
  password_hash: string;
  password_changed_at: Date;
  failed_attempts: number;
  last_failed_at: Date | null;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A staff account as the API shows it: never the password hash. */
export interface StaffView {
  id: string;
  username: string;
  displayName: string;
  roles: StaffRole[];
  status: StaffStatus;
  /** Set while the account is locked after repeated failed sign-ins. */
  lockedUntil: string | null;
  failedAttempts: number;
  lastLoginAt: string | null;
  passwordChangedAt: string;
  createdAt: string;
  updatedAt: string;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

export function toStaffView(row: StaffAccountRow, now: Date): StaffView {
  const locked = row.locked_until && new Date(row.locked_until) > now ? row.locked_until : null;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: [...row.roles],
    status: row.status,
    lockedUntil: iso(locked),
    failedAttempts: row.failed_attempts,
    lastLoginAt: iso(row.last_login_at),
    passwordChangedAt: iso(row.password_changed_at)!,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

export async function findStaffById(knex: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<StaffAccountRow | undefined> {
  const query = knex<StaffAccountRow>('staff_accounts').where({ id });
  if (options.forUpdate) query.forUpdate();
  return (await query.first()) as StaffAccountRow | undefined;
}

export async function findStaffByUsername(knex: Knex, username: string): Promise<StaffAccountRow | undefined> {
  return (await knex<StaffAccountRow>('staff_accounts').where({ username: username.toLowerCase() }).first()) as StaffAccountRow | undefined;
}

export interface StaffListFilter {
  status?: StaffStatus;
  role?: StaffRole;
  /** Keyset pagination by username. */
  afterUsername?: string;
  limit: number;
}

export async function listStaff(knex: Knex, filter: StaffListFilter): Promise<{ rows: StaffAccountRow[]; nextAfter: string | null }> {
  const query = knex<StaffAccountRow>('staff_accounts').orderBy('username').limit(filter.limit + 1);
  if (filter.status) query.where('status', filter.status);
  if (filter.role) query.whereRaw('? = any(roles)', [filter.role]);
  if (filter.afterUsername) query.where('username', '>', filter.afterUsername);
  const rows = (await query) as StaffAccountRow[];
  const page = rows.slice(0, filter.limit);
  return { rows: page, nextAfter: rows.length > filter.limit ? page[page.length - 1]!.username : null };
}

/** True when some account holds the admin role, active or not (the first-admin bootstrap asks this). */
export async function anyAdminExists(knex: Knex): Promise<boolean> {
  return Boolean(await knex('staff_accounts').whereRaw(`'admin' = any(roles)`).first('id'));
}
