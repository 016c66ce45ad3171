import type { Knex } from 'knex';

/**
 * The append-only, hash-chained audit log (shared/audit) and the one-row chain head that
 * serialises appends. Triggers refuse UPDATE, DELETE and TRUNCATE on the log, and let the head
 * only step forward to a row that exists, so a careless statement cannot rewrite history; a
 * table owner can still disable triggers, which is what `tessera audit verify` catches.
 * seq is assigned by appendAudit under the head lock (not an identity column): a sequence
 * leaves gaps on rollback, and a gap is what the verifier reports as a deleted row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_events', (t) => {
    t.bigInteger('seq').primary();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('actor_kind').notNullable();
    t.text('actor_id');
    t.text('action').notNullable();
    t.text('subject_kind');
    t.text('subject_id');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.text('prev_hash').notNullable();
    t.text('hash').notNullable().unique();
    t.index(['subject_kind', 'subject_id', 'seq']);
    t.index(['actor_kind', 'actor_id', 'seq']);
    t.index(['action', 'seq']);
    t.index(['at']);
  });
  await knex.raw('alter table audit_events add constraint audit_events_seq_positive check (seq > 0)');

  await knex.schema.createTable('audit_chain_head', (t) => {
    t.integer('id').primary();
    t.bigInteger('last_seq').notNullable();
    t.text('last_hash').notNullable();
  });
  await knex.raw('alter table audit_chain_head add constraint audit_chain_head_single_row check (id = 1)');
  await knex('audit_chain_head').insert({ id: 1, last_seq: 0, last_hash: '0'.repeat(64) });

  await knex.raw(`
    create function audit_events_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end
    $$`);
  await knex.raw(`create trigger audit_events_append_only before update or delete on audit_events
    for each row execute function audit_events_refuse_change()`);
  await knex.raw(`create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_refuse_change()`);

  await knex.raw(`
    create function audit_chain_head_step_forward() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'UPDATE' then
        raise exception 'audit_chain_head: % refused', tg_op using errcode = 'insufficient_privilege';
      end if;
      if new.id <> old.id or new.last_seq <> old.last_seq + 1
         or not exists (select 1 from audit_events e where e.seq = new.last_seq and e.hash = new.last_hash) then
        raise exception 'audit_chain_head may only advance by one to an appended event' using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$`);
  await knex.raw(`create trigger audit_chain_head_forward_only before update or delete on audit_chain_head
    for each row execute function audit_chain_head_step_forward()`);
  await knex.raw(`create trigger audit_chain_head_no_truncate before truncate on audit_chain_head
    for each statement execute function audit_chain_head_step_forward()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_chain_head');
  await knex.schema.dropTable('audit_events');
  await knex.raw('drop function audit_chain_head_step_forward()');
  await knex.raw('drop function audit_events_refuse_change()');
}
