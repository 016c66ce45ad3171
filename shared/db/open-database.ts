import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  readonly knex: Knex;
  readonly kind: DatabaseKind;
  /** Where the data lives, with any password removed: safe to print. */
  readonly description: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL; without it the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; ':memory:' keeps it in memory (tests). */
  dataDir?: string;
  poolMax?: number;
  /** Where knex's own warnings go (pool and connection trouble); the failing query rejects anyway. */
  logger?: { warn(object: object, message: string): void };
}

/** knex prints to the console by default, stack traces included; send one line to our logger instead. */
function knexLog(logger: DatabaseOptions['logger']): Knex.Config['log'] {
  const line = (level: string) => (message: unknown) =>
    logger?.warn({ source: 'knex', knexLevel: level }, String(message instanceof Error ? message.message : message).split('\n')[0]!);
  return { warn: line('warn'), error: line('error'), deprecate: line('deprecate'), debug: () => {}, enableColors: false };
}

/** Integer columns (bigint, numeric counts) come back as strings from pg; money code converts explicitly. */
export function openDatabase(options: DatabaseOptions): Database {
  if (options.databaseUrl) {
    const knex = knexFactory({
      client: 'pg',
      connection: { connectionString: options.databaseUrl, application_name: 'tessera' },
      pool: { min: 0, max: options.poolMax ?? 10, idleTimeoutMillis: 30_000 },
      acquireConnectionTimeout: 10_000,
      log: knexLog(options.logger),
    });
    return { knex, kind: 'postgres', description: redactUrl(options.databaseUrl), close: () => knex.destroy() };
  }
  const dataDir = options.dataDir ?? './data';
  const inMemory = dataDir === ':memory:';
  const pgdata = inMemory ? undefined : resolve(dataDir, 'pgdata');
  if (pgdata) mkdirSync(pgdata, { recursive: true });
  const knex = knexFactory({
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: pgdata ? { filename: pgdata } : {},
    acquireConnectionTimeout: 60_000,
    log: knexLog(options.logger),
  } as Knex.Config);
  return {
    knex,
    kind: 'pglite',
    description: pgdata ? `embedded PostgreSQL (PGlite) in ${pgdata}` : 'embedded PostgreSQL (PGlite) in memory',
    close: async () => {
      await knex.destroy();
      // knex closes only connections it acquired; a PGlite never queried would keep the process alive.
      const pglite = (knex.client as { pglite?: { closed?: boolean; close(): Promise<void> } }).pglite;
      if (pglite && !pglite.closed) await pglite.close().catch(() => undefined);
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
