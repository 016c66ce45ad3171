import type { Knex } from 'knex';

/**
 * Renewal issues the new card while the old one is still in use, and supersedes the old one
 * only when the new one is complete (docs/issuance.md). The first index keeps "at most one card
 * per cardholder and kind" for every live card except an issuance that replaces another; the
 * second keeps "at most one issuance in progress per cardholder and kind" for every issuance,
 * so two desks issuing for one person still end with one card.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('drop index cards_one_live_per_holder');
  await knex.raw(`create unique index cards_one_live_per_holder on cards (cardholder_id, kind)
    where status in ('issuing', 'issued', 'active', 'suspended') and (status <> 'issuing' or replaces_card_id is null)`);
  await knex.raw(`create unique index cards_one_issuing_per_holder on cards (cardholder_id, kind) where status = 'issuing'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index cards_one_issuing_per_holder');
  await knex.raw('drop index cards_one_live_per_holder');
  await knex.raw(`create unique index cards_one_live_per_holder on cards (cardholder_id, kind)
    where status in ('issuing', 'issued', 'active', 'suspended')`);
}
