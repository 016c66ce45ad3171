export { openDatabase, redactUrl, type Database, type DatabaseKind, type DatabaseOptions } from './open-database.js';
export {
  migrateLatest,
  migrateRollback,
  migrateDown,
  migrationStatus,
  coreMigrationsDirectory,
  type MigrationOptions,
  type MigrationStatus,
} from './migrations.js';
export { conflictOnUniqueViolation, isUniqueViolation } from './unique-violation.js';
