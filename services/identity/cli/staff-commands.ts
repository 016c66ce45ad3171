import type { Command } from 'commander';
import { TesseraError } from '../../../shared/errors/index.js';
import { STAFF_ROLES } from '../roles.js';
import { createStaff } from '../staff/create-staff.js';
import { resetStaffPassword } from '../staff/reset-password.js';
import { findStaffByUsername, listStaff, toStaffView, type StaffView } from '../staff/staff-accounts.js';
import { disableStaff, enableStaff } from '../staff/staff-status.js';
import { cliActor, readPasswordFromStdin, withDatabase } from './cli-database.js';

async function staffIdOf(knex: Parameters<typeof findStaffByUsername>[0], username: string): Promise<string> {
  const row = await findStaffByUsername(knex, username);
  if (!row) throw new TesseraError('ERR_STAFF_NOT_FOUND', `No staff account '${username}'`);
  return row.id;
}

function formatTable(staff: StaffView[]): string {
  const rows = staff.map((s) => [s.username, s.displayName, s.roles.join(','), s.lockedUntil ? `locked until ${s.lockedUntil}` : s.status]);
  const header = ['USERNAME', 'NAME', 'ROLES', 'STATUS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function registerStaffCommands(program: Command): void {
  const staff = program
    .command('staff')
    .description('staff accounts (the break-glass path when no admin can sign in; otherwise use the API)');
  const context = (knex: Parameters<typeof createStaff>[0]['knex']) => ({ knex, actor: cliActor(), now: new Date() });

  staff
    .command('add <username>')
    .description('create a staff account; without --password-stdin a password is generated and printed once')
    .requiredOption('--role <role...>', `one or more of: ${STAFF_ROLES.join(', ')}`)
    .option('--name <displayName>', 'display name (defaults to the username)')
    .option('--password-stdin', 'read the password from standard input (e.g. from a secrets manager)')
    .action((username: string, options: { role: string[]; name?: string; passwordStdin?: boolean }) =>
      withDatabase(async (db) => {
        const password = options.passwordStdin ? await readPasswordFromStdin() : undefined;
        const created = await createStaff(context(db.knex), { username, displayName: options.name, roles: options.role, password });
        process.stdout.write(`Created staff account '${created.staff.username}' (${created.staff.roles.join(', ')}), id ${created.staff.id}\n`);
        if (created.generatedPassword) process.stdout.write(`Password (shown once, change it after the first sign-in): ${created.generatedPassword}\n`);
      }),
    );

  staff
    .command('list')
    .description('list staff accounts')
    .option('--json', 'print JSON instead of a table')
    .action((options: { json?: boolean }) =>
      withDatabase(async (db) => {
        const now = new Date();
        const all: StaffView[] = [];
        let after: string | undefined;
        do {
          const page = await listStaff(db.knex, { afterUsername: after, limit: 500 });
          all.push(...page.rows.map((row) => toStaffView(row, now)));
          after = page.nextAfter ?? undefined;
        } while (after);
        process.stdout.write(options.json ? `${JSON.stringify(all, null, 2)}\n` : `${formatTable(all)}\n`);
      }),
    );

  staff
    .command('disable <username>')
    .description('disable an account and end its sessions (refused for the last active admin)')
    .action((username: string) =>
      withDatabase(async (db) => {
        const view = await disableStaff(context(db.knex), await staffIdOf(db.knex, username));
        process.stdout.write(`Staff account '${view.username}' is ${view.status}.\n`);
      }),
    );

  staff
    .command('enable <username>')
    .description('enable an account and clear any sign-in lockout')
    .action((username: string) =>
      withDatabase(async (db) => {
        const view = await enableStaff(context(db.knex), await staffIdOf(db.knex, username));
        process.stdout.write(`Staff account '${view.username}' is ${view.status}.\n`);
      }),
    );

  staff
    .command('password <username>')
    .description("reset someone's password and end their sessions; without --password-stdin one is generated and printed once")
    .option('--password-stdin', 'read the new password from standard input')
    .action((username: string, options: { passwordStdin?: boolean }) =>
      withDatabase(async (db) => {
        const password = options.passwordStdin ? await readPasswordFromStdin() : undefined;
        const result = await resetStaffPassword(context(db.knex), await staffIdOf(db.knex, username), password);
        process.stdout.write(`Password of '${result.staff.username}' reset; their sessions have ended.\n`);
        if (result.generatedPassword) process.stdout.write(`Password (shown once): ${result.generatedPassword}\n`);
      }),
    );
}
