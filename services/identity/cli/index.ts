import type { Command } from 'commander';
import { registerAuditCommands } from './audit-commands.js';
import { registerStaffCommands } from './staff-commands.js';

/** `tessera staff ...` and `tessera audit ...`. */
export function registerIdentityCommands(program: Command): void {
  registerStaffCommands(program);
  registerAuditCommands(program);
}
