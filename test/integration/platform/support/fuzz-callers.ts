import type { Knex } from 'knex';
import { STAFF_ROLES } from '../../../../services/identity/roles.js';
import { createStaff } from '../../../../services/identity/staff/create-staff.js';
import type { CallerKind } from './api-operations.js';

/** Stands in a generated request for "the caller's current credential", filled in when it is sent. */
export const CALLER_CREDENTIAL = '<caller credential>';

const FUZZ_PASSWORD = 'api-fuzz-password-not-for-production';

/**
 * The callers the fuzz acts as: one staff member holding every role, and one kiosk reader.
 * Generated requests may sign the staff member out, lock the account (wrong current passwords
 * count towards lockout) or get the reader suspended; each is then replaced, so later requests
 * still get past authentication.
 */
export class FuzzCallers {
  /** Ids of the callers themselves: the fuzz must not disable, re-key or demote its own callers. */
  readonly ownIds = new Set<string>();
  #staffToken = '';
  #readerCredential = '';
  #staffUsername = '';
  #staffAccounts = 0;
  #readers = 0;

  private constructor(
    private readonly baseUrl: string,
    private readonly knex: Knex,
  ) {}

  static async create(baseUrl: string, knex: Knex): Promise<FuzzCallers> {
    const callers = new FuzzCallers(baseUrl, knex);
    await callers.renewStaff();
    await callers.renewReader();
    return callers;
  }

  authorization(kind: CallerKind): string | undefined {
    if (kind === 'staff') return `Bearer ${this.#staffToken}`;
    if (kind === 'reader') return `Bearer ${this.#readerCredential}`;
    return undefined;
  }

  /** After an answer to a request signed as `kind`: replace a credential the request used up. */
  async renewIfRefused(kind: CallerKind, status: number, code: string | undefined): Promise<void> {
    if (kind === 'staff' && status === 401) await this.renewStaff();
    if (kind === 'reader' && (status === 401 || code === 'ERR_READER_SUSPENDED' || code === 'ERR_READER_REVOKED')) await this.renewReader();
  }

  /** A new session for the staff member; a new staff member when the account no longer signs in. */
  async renewStaff(): Promise<void> {
    const signIn = () => this.#post('/v1/sessions', undefined, { username: this.#staffUsername, password: FUZZ_PASSWORD });
    const answer = this.#staffUsername ? await signIn().catch(() => undefined) : undefined;
    if (answer) {
      this.#staffToken = answer.token as string;
      return;
    }
    this.#staffUsername = `api-fuzz-${this.#staffAccounts++}`;
    const command = { knex: this.knex, actor: { kind: 'system' as const, id: 'api-fuzz' }, now: new Date() };
    const created = await createStaff(command, { username: this.#staffUsername, password: FUZZ_PASSWORD, roles: [...STAFF_ROLES] });
    this.ownIds.add(created.staff.id);
    this.#staffToken = (await signIn()).token as string;
  }

  async renewReader(): Promise<void> {
    const name = `api-fuzz-${this.#readers++}`;
    const answer = await this.#post('/v1/readers', `Bearer ${this.#staffToken}`, { name, kind: 'kiosk', site: 'API fuzz' });
    const reader = answer.reader as { id: string };
    this.ownIds.add(reader.id);
    this.#readerCredential = answer.credential as string;
  }

  async #post(path: string, authorization: string | undefined, body: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`fuzz caller set-up: POST ${path} answered ${response.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  }
}
