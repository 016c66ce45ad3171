import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

/** One migration file; `file` is its name as recorded in knex_migrations. */
export interface MigrationFile {
  readonly file: string;
  readonly path: string;
  readonly directory: string;
}

const SOURCE_EXTENSIONS = new Set(['.ts', '.js']);

/**
 * The migrations of several folders, named after their TypeScript source whether they run from
 * the sources (tsx) or from the compiled build (dist/, plain node): knex's own file source records
 * the file name with its extension, so a database migrated by one would look corrupt to the other
 * ("files are missing"). Sorted by name across all folders, as knex sorts them.
 */
export class NamedBySourceMigrations implements Knex.MigrationSource<MigrationFile> {
  constructor(private readonly directories: readonly string[]) {}

  async getMigrations(): Promise<MigrationFile[]> {
    const byName = new Map<string, MigrationFile>();
    for (const directory of this.directories) {
      for (const entry of readdirSync(directory)) {
        const extension = extname(entry);
        if (!SOURCE_EXTENSIONS.has(extension) || entry.endsWith('.d.ts')) continue;
        const file = `${entry.slice(0, -extension.length)}.ts`;
        const existing = byName.get(file);
        if (existing?.directory === directory) continue; // the .ts and the .js of one migration: either will do
        if (existing) throw new Error(`Two migrations are named ${file}: in ${existing.directory} and in ${directory}`);
        byName.set(file, { file, path: join(directory, entry), directory });
      }
    }
    return [...byName.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  getMigrationName(migration: MigrationFile): string {
    return migration.file;
  }

  async getMigration(migration: MigrationFile): Promise<Knex.Migration> {
    return (await import(pathToFileURL(migration.path).href)) as Knex.Migration;
  }
}
