/**
 * A check-then-write ("is this name taken? then insert") leaves a gap: two requests can both
 * pass the check before either commits, and the loser's write then meets the unique index.
 * That is a client conflict, not a server fault, so it must answer as the check would have
 * (a 409), never as a 500.
 */

/** SQLSTATE 23505, as PostgreSQL (pg) and PGlite both report it. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/** Runs `write`; a unique violation from it becomes `conflict()`, so a lost race answers as the earlier check would. */
export async function conflictOnUniqueViolation<T>(write: () => Promise<T>, conflict: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}
