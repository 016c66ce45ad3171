import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { conflictOnUniqueViolation } from '../../../shared/db/index.js';
import { openAccount } from '../../../shared/ledger/index.js';
import { CATEGORY_PATTERN, findRecipient, getProvider, type Provider } from './budget-store.js';

/** Approved providers, their categories and terminals; recipients' budget cards on hold. Audited with the staff member. */
export interface ProviderInput {
  readonly name: string;
  readonly categories: readonly string[];
  readonly status?: 'approved' | 'suspended';
}

/** A staff member's id from a route, or another actor (the demo seeder is the system). */
export type Actor = string | AuditActor;
const staff = (actor: Actor): AuditActor => (typeof actor === 'string' ? { kind: 'staff', id: actor } : actor);

function checkCategories(categories: readonly string[]): string[] {
  const bad = categories.find((c) => !CATEGORY_PATTERN.test(c));
  if (categories.length === 0 || bad !== undefined) throw new TesseraError('ERR_BUDGET_INVALID', 'categories must be lower-case names such as personal-care', { field: 'categories' });
  return [...new Set(categories)].sort();
}

const providerNameTaken = (name: string) => new TesseraError('ERR_BUDGET_CONFLICT', `A provider named ${name} exists`);

export async function createProvider(db: Knex, input: ProviderInput, staffId: Actor): Promise<Provider> {
  const categories = checkCategories(input.categories);
  return db.transaction(async (trx) => {
    if (await trx('budget_providers').where({ name: input.name }).first('id')) throw providerNameTaken(input.name);
    const id = randomUUID();
    const account = await openAccount(trx, { kind: 'provider', label: `provider ${input.name}`, ownerRef: `budget-provider:${id}` });
    // The check above can lose a race with a concurrent create: the unique index then answers the same 409.
    const row = { id, name: input.name, categories, status: input.status ?? 'approved', account_id: account.id };
    await conflictOnUniqueViolation(() => trx('budget_providers').insert(row), () => providerNameTaken(input.name));
    await appendAudit(trx, { actor: staff(staffId), action: 'budget.provider-create', subject: { kind: 'budget-provider', id }, details: { ...input } });
    return getProvider(trx, id);
  });
}

export async function updateProvider(db: Knex, id: string, input: Partial<ProviderInput>, staffId: Actor): Promise<Provider> {
  return db.transaction(async (trx) => {
    await getProvider(trx, id);
    // As createProvider: the name is unique, and renaming onto another provider's must be a 409, not the database's unique violation.
    if (input.name !== undefined && (await trx('budget_providers').where({ name: input.name }).whereNot({ id }).first('id'))) {
      throw providerNameTaken(input.name);
    }
    const changes: Record<string, unknown> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.categories !== undefined) changes.categories = checkCategories(input.categories);
    if (input.status !== undefined) changes.status = input.status;
    // Only the name is unique; a rename racing another provider's create or rename meets the index.
    if (Object.keys(changes).length > 0) {
      await conflictOnUniqueViolation(() => trx('budget_providers').where({ id }).update(changes), () => providerNameTaken(String(input.name)));
    }
    await appendAudit(trx, { actor: staff(staffId), action: 'budget.provider-update', subject: { kind: 'budget-provider', id }, details: { ...input } });
    return getProvider(trx, id);
  });
}

/** Binds a registered reader to a provider as its terminal. */
export async function putTerminal(db: Knex, readerId: string, providerId: string, staffId: Actor): Promise<{ readerId: string; providerId: string }> {
  return db.transaction(async (trx) => {
    const provider = await getProvider(trx, providerId);
    const existing = await trx('budget_terminals').where({ reader_id: readerId }).first();
    if (existing && existing.provider_id !== provider.id) throw new TesseraError('ERR_BUDGET_CONFLICT', `Terminal ${readerId} belongs to another provider`);
    if (!existing) await trx('budget_terminals').insert({ reader_id: readerId, provider_id: provider.id });
    await appendAudit(trx, { actor: staff(staffId), action: 'budget.terminal-set', subject: { kind: 'reader', id: readerId }, details: { providerId: provider.id } });
    return { readerId, providerId: provider.id };
  });
}

/** Puts a recipient's budget spending on hold (or lifts it); their card keeps working elsewhere. */
export async function setRecipientHold(db: Knex, recipient: string, onHold: boolean, staffId: Actor): Promise<{ cardholderId: string; onHold: boolean }> {
  const found = await findRecipient(db, recipient);
  if (!found) throw new TesseraError('ERR_BUDGET_RECIPIENT_UNKNOWN', `No care recipient ${recipient}`, { field: 'recipient' });
  return db.transaction(async (trx) => {
    await trx.raw('insert into budget_recipients (cardholder_id, on_hold) values (?, ?) on conflict (cardholder_id) do update set on_hold = excluded.on_hold', [found.id, onHold]);
    await appendAudit(trx, { actor: staff(staffId), action: onHold ? 'budget.recipient-hold' : 'budget.recipient-release', subject: { kind: 'cardholder', id: found.id } });
    return { cardholderId: found.id, onHold };
  });
}
