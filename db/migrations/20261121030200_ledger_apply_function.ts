import type { Knex } from 'knex';

/**
 * ledger_apply_transfers(requests jsonb) → jsonb: decides and writes a batch of transfers in ONE
 * statement (docs/ledger.md, "How a batch is applied"). The decision lives in the database so
 * that an account's row lock is held only while the server works and commits, never across a
 * round trip to a (possibly busy) platform process: that is what lets a batch on a hot account
 * beat the floor of one UPDATE per commit.
 *
 * Each request: {key, hash, id, debit, credit, amount, currency, reason, module, tap, staff,
 * reverses, metadata, createdAt}, already validated by shared/ledger/prepare-transfer.ts.
 * Each outcome, in the same order: {kind: 'applied', debitBalanceAfter, creditBalanceAfter} |
 * {kind: 'replayed', key, transferId} | {kind: 'refused', code, ...facts}.
 *
 * Lock order, the same in every process: originals of reversals by id, then accounts by id, then
 * idempotency keys (inserted last, sorted). A key another transaction commits between our read
 * and our insert raises unique_violation; the caller retries and then replays it.
 */
const applyFunction = String.raw`
create function ledger_apply_transfers(requests jsonb) returns jsonb
language plpgsql volatile as $fn$
declare
  max_safe constant bigint := 9007199254740991;
  req jsonb;
  rec record;
  accounts jsonb := '{}';   -- account id -> {currency, floor, balance}: the running state
  originals jsonb := '{}';  -- transfer id -> {debit, credit, amount, currency, reverses, reversed}
  known jsonb := '{}';      -- idempotency key -> {hash, transfer}: stored, then decided here
  deltas jsonb := '{}';     -- account id -> net change
  d jsonb;
  c jsonb;
  o jsonb;
  moved bigint;
  debit_after bigint;
  credit_after bigint;
  already bigint;
  outcomes jsonb[] := '{}';
  transfers jsonb[] := '{}';
  entries jsonb[] := '{}';
begin
  -- 1. The originals of reversals, locked so reversals of one transfer run one at a time.
  for rec in
    select t.id, t.debit_account_id, t.credit_account_id, t.amount, t.currency, t.reverses_transfer_id
      from ledger_transfers t
     where t.id = any(array(select (x ->> 'reverses')::uuid from jsonb_array_elements(requests) x where x ->> 'reverses' is not null))
     order by t.id
       for update
  loop
    originals := originals || jsonb_build_object(rec.id::text, jsonb_build_object(
      'debit', rec.debit_account_id, 'credit', rec.credit_account_id, 'amount', rec.amount,
      'currency', rec.currency, 'reverses', rec.reverses_transfer_id, 'reversed', 0));
  end loop;
  -- A new statement sees every reversal committed while we waited for the lock.
  for rec in
    select r.reverses_transfer_id as id, sum(r.amount) as total
      from ledger_transfers r
     where r.reverses_transfer_id = any(array(select k::uuid from jsonb_object_keys(originals) k))
     group by r.reverses_transfer_id
  loop
    originals := jsonb_set(originals, array[rec.id::text, 'reversed'], to_jsonb(rec.total));
  end loop;

  -- 2. The accounts, locked in id order (the balance UPDATE takes this lock anyway).
  for rec in
    select a.id, a.currency, a.floor, a.balance
      from ledger_accounts a
     where a.id = any(array(
             select (x ->> 'debit')::uuid from jsonb_array_elements(requests) x
             union
             select (x ->> 'credit')::uuid from jsonb_array_elements(requests) x))
     order by a.id
       for no key update
  loop
    accounts := accounts || jsonb_build_object(rec.id::text, jsonb_build_object('currency', rec.currency, 'floor', rec.floor, 'balance', rec.balance));
  end loop;

  -- 3. Keys already applied (read after the locks: a same-account request that committed while we waited is seen).
  for rec in
    select i.key, i.request_hash, i.transfer_id
      from ledger_idempotency i
     where i.key = any(array(select x ->> 'key' from jsonb_array_elements(requests) x))
  loop
    known := known || jsonb_build_object(rec.key, jsonb_build_object('hash', rec.request_hash, 'transfer', rec.transfer_id));
  end loop;

  -- 4. Decide each request in arrival order against the running balances.
  for req in select value from jsonb_array_elements(requests)
  loop
    o := known -> (req ->> 'key');
    if o is not null then
      if o ->> 'hash' <> req ->> 'hash' then
        outcomes := outcomes || jsonb_build_object('kind', 'refused', 'code', 'ERR_IDEMPOTENCY_MISMATCH', 'idempotencyKey', req ->> 'key', 'transferId', o ->> 'transfer');
      else
        outcomes := outcomes || jsonb_build_object('kind', 'replayed', 'key', req ->> 'key', 'transferId', o ->> 'transfer');
      end if;
      continue;
    end if;

    d := accounts -> (req ->> 'debit');
    c := accounts -> (req ->> 'credit');
    if d is null or c is null then
      outcomes := outcomes || jsonb_build_object('kind', 'refused', 'code', 'ERR_ACCOUNT_NOT_FOUND',
        'accountId', case when d is null then req ->> 'debit' else req ->> 'credit' end);
      continue;
    end if;
    if d ->> 'currency' <> req ->> 'currency' or c ->> 'currency' <> req ->> 'currency' then
      outcomes := outcomes || jsonb_build_object('kind', 'refused', 'code', 'ERR_CURRENCY_MISMATCH',
        'accountId', case when d ->> 'currency' <> req ->> 'currency' then req ->> 'debit' else req ->> 'credit' end,
        'accountCurrency', case when d ->> 'currency' <> req ->> 'currency' then d ->> 'currency' else c ->> 'currency' end,
        'transferCurrency', req ->> 'currency');
      continue;
    end if;

    moved := (req ->> 'amount')::bigint;
    if req ->> 'reverses' is not null then
      o := originals -> (req ->> 'reverses');
      if o is null then
        outcomes := outcomes || jsonb_build_object('kind', 'refused', 'code', 'ERR_TRANSFER_NOT_FOUND', 'transferId', req ->> 'reverses');
        continue;
      end if;
      if o ->> 'reverses' is not null then
        outcomes := outcomes || jsonb_build_object('kind', 'refused', 'code', 'ERR_REVERSAL_INVALID', 'transferId', req ->> 'reverses', 'why', 'is-a-reversal');
        continue;
      end if;
      if o ->> 'debit' <> req ->> 'credit' or o ->> 'credit' <> req ->> 'debit' or o ->> 'currency' <> req ->> 'currency' then
        outcomes := outcomes || jsonb_build_object('kind', 'refused', 'code', 'ERR_REVERSAL_INVALID', 'transferId', req ->> 'reverses', 'why', 'direction',
          'expectedDebitAccountId', o ->> 'credit', 'expectedCreditAccountId', o ->> 'debit', 'currency', o ->> 'currency');
        continue;
      end if;
      already := (o ->> 'reversed')::bigint;
      if already + moved > (o ->> 'amount')::bigint then
        outcomes := outcomes || jsonb_build_object('kind', 'refused', 'code', 'ERR_REVERSAL_EXCEEDS_ORIGINAL', 'transferId', req ->> 'reverses',
          'originalAmount', (o ->> 'amount')::bigint, 'alreadyReversed', already, 'amount', moved);
        continue;
      end if;
    end if;

    debit_after := (d ->> 'balance')::bigint - moved;
    credit_after := (c ->> 'balance')::bigint + moved;
    if d ->> 'floor' is not null and debit_after < (d ->> 'floor')::bigint then
      outcomes := outcomes || jsonb_build_object('kind', 'refused', 'code', 'ERR_INSUFFICIENT_FUNDS', 'accountId', req ->> 'debit',
        'balance', (d ->> 'balance')::bigint, 'floor', (d ->> 'floor')::bigint, 'amount', moved);
      continue;
    end if;
    if debit_after < -max_safe or credit_after > max_safe then
      outcomes := outcomes || jsonb_build_object('kind', 'refused', 'code', 'ERR_BALANCE_OUT_OF_RANGE');
      continue;
    end if;

    -- Applied: move the running balances the next request sees, and queue the rows.
    accounts := jsonb_set(accounts, array[req ->> 'debit', 'balance'], to_jsonb(debit_after));
    accounts := jsonb_set(accounts, array[req ->> 'credit', 'balance'], to_jsonb(credit_after));
    deltas := deltas || jsonb_build_object(req ->> 'debit', coalesce((deltas ->> (req ->> 'debit'))::bigint, 0) - moved);
    deltas := deltas || jsonb_build_object(req ->> 'credit', coalesce((deltas ->> (req ->> 'credit'))::bigint, 0) + moved);
    if req ->> 'reverses' is not null then
      originals := jsonb_set(originals, array[req ->> 'reverses', 'reversed'], to_jsonb(already + moved));
    end if;
    known := known || jsonb_build_object(req ->> 'key', jsonb_build_object('hash', req ->> 'hash', 'transfer', req ->> 'id'));
    transfers := transfers || req;
    entries := entries || jsonb_build_object('transfer', req ->> 'id', 'account', req ->> 'debit', 'amount', -moved, 'after', debit_after);
    entries := entries || jsonb_build_object('transfer', req ->> 'id', 'account', req ->> 'credit', 'amount', moved, 'after', credit_after);
    outcomes := outcomes || jsonb_build_object('kind', 'applied', 'debitBalanceAfter', debit_after, 'creditBalanceAfter', credit_after);
  end loop;

  -- 5. Write what was applied: balances, transfers, entries (in balance order), keys (sorted).
  if cardinality(transfers) > 0 then
    update ledger_accounts a
       set balance = a.balance + (deltas ->> a.id::text)::bigint
     where a.id = any(array(select k::uuid from jsonb_object_keys(deltas) k));
    insert into ledger_transfers (id, debit_account_id, credit_account_id, amount, currency, reason, module, tap_id, staff_id, reverses_transfer_id, metadata, created_at)
    select (t ->> 'id')::uuid, (t ->> 'debit')::uuid, (t ->> 'credit')::uuid, (t ->> 'amount')::bigint, t ->> 'currency', t ->> 'reason',
           t ->> 'module', t ->> 'tap', t ->> 'staff', (t ->> 'reverses')::uuid, nullif(t -> 'metadata', 'null'::jsonb), (t ->> 'createdAt')::timestamptz
      from unnest(transfers) t;
    insert into ledger_entries (transfer_id, account_id, amount, balance_after)
    select (e ->> 'transfer')::uuid, (e ->> 'account')::uuid, (e ->> 'amount')::bigint, (e ->> 'after')::bigint
      from unnest(entries) with ordinality as x(e, n)
     order by n;
    insert into ledger_idempotency (key, request_hash, transfer_id, created_at)
    select t ->> 'key', t ->> 'hash', (t ->> 'id')::uuid, (t ->> 'createdAt')::timestamptz
      from unnest(transfers) t
     order by t ->> 'key';
  end if;
  return to_jsonb(outcomes);
end
$fn$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(applyFunction);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function ledger_apply_transfers(jsonb)');
}
