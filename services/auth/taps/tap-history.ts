import type { Knex } from 'knex';

export interface TapQuery {
  readonly readerId?: string | undefined;
  readonly cardholderId?: string | undefined;
  readonly before?: string | undefined;
  readonly limit: number;
}

/** Recent taps of a reader or a cardholder, newest first, keyset-paged on created_at (both are indexed). */
export async function tapHistory(q: Knex, query: TapQuery) {
  const rows = await q('taps')
    .modify((b) => {
      if (query.readerId) b.where({ reader_id: query.readerId });
      if (query.cardholderId) b.where({ cardholder_id: query.cardholderId });
      if (query.before) b.where('created_at', '<', new Date(query.before));
    })
    .orderBy('created_at', 'desc')
    .limit(query.limit)
    .select('id', 'reader_id', 'purpose', 'target', 'created_at', 'expires_at', 'consumed_at', 'decision', 'reason', 'assurance', 'card_id', 'cardholder_id', 'issuer', 'module');
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  const items = rows.map((r: Record<string, any>) => ({
    id: r.id,
    readerId: r.reader_id,
    purpose: r.purpose,
    target: r.target,
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at)!,
    consumedAt: iso(r.consumed_at),
    decision: r.decision ?? null,
    reason: r.reason ?? null,
    assurance: r.assurance ?? null,
    cardId: r.card_id ?? null,
    cardholderId: r.cardholder_id ?? null,
    issuer: r.issuer ?? null,
    module: r.module ?? null,
  }));
  return { items, next: items.length === query.limit ? items[items.length - 1]!.createdAt : null };
}
