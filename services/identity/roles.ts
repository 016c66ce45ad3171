/**
 * Staff roles. A route names the roles that may call it (`auth: { kind: 'staff', roles: [...] }`);
 * no role is implied by another, so `admin` reaches a route only when the route lists it.
 * admin runs the platform (staff accounts, configuration, the audit log); it does not approve
 * money movements or take over a module manager's daily work unless a route says so.
 */
export const STAFF_ROLES = [
  'admin',
  'reception',
  'finance',
  'access-manager',
  'logon-manager',
  'print-manager',
  'catering-manager',
  'library-manager',
  'registration-manager',
  'budgets-manager',
] as const;

export type StaffRole = (typeof STAFF_ROLES)[number];

/** What each role is for: shown in the staff UI and docs/staff-and-audit.md. */
export const STAFF_ROLE_DESCRIPTIONS: Readonly<Record<StaffRole, string>> = {
  admin: 'runs the platform: staff accounts and roles, configuration, the audit log',
  reception: 'the card desk: enrol cardholders, issue, suspend, revoke and replace cards, unblock PINs',
  finance: 'devolved budgets and purses: loads, statements, reconciliation, clawback',
  'access-manager': 'doors, areas, schedules and access levels',
  'logon-manager': 'workstation and network log-on policy',
  'print-manager': 'printers, queues, quotas and print prices',
  'catering-manager': 'tills, price lists, meal rules and allergens',
  'library-manager': 'library and leisure memberships, blocks and fines',
  'registration-manager': 'class registers and attendance rules',
  'budgets-manager': 'direct-payment agreements, allowances and merchant rules',
};

/** Any signed-in staff member, whatever their role: for routes about one's own session. */
export const ANY_STAFF_ROLE: readonly StaffRole[] = STAFF_ROLES;

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}
