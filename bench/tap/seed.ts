import { randomBytes } from 'node:crypto';
import type { Database } from '../../shared/db/index.js';
import { createThrowawayDatabase } from '../support/throwaway-database.js';
import { SealedBox } from '../../shared/secrets/index.js';
import { createReader } from '../../services/auth/index.js';
import { issueSoftwareCard, type SoftwareCard } from '../../services/auth/testing/software-card.js';
import { PlatformPki } from '../../services/identity/pki/index.js';
import { migrationOptionsFor } from '../../services/platform/app.js';
import { allServices } from '../../services/platform/services.js';

export interface TapBenchDatabase {
  readonly url: string;
  readonly db: Database;
  readonly kek: Buffer;
  readonly pki: PlatformPki;
  drop(): Promise<void>;
}

/** A throwaway database beside the one `adminUrl` names, with every service's migrations and the platform CA. */
export async function createTapBenchDatabase(adminUrl: string): Promise<TapBenchDatabase> {
  const { url, db, drop } = await createThrowawayDatabase(adminUrl, { prefix: 'tessera_bench_tap', poolMax: 8, migrations: migrationOptionsFor(allServices()) });
  const kek = randomBytes(32);
  const pki = new PlatformPki({ db, secrets: new SealedBox(kek), now: () => new Date(), organisation: 'Bench Council', crlUrl: 'http://localhost/v1/pki/crl' });
  await pki.ensureHierarchy();
  return {
    url,
    db,
    kek,
    pki,
    drop,
  };
}

/** `count` cardholders, each with an active card row (no certificates: background population). */
export async function seedCardholders(db: Database, count: number): Promise<void> {
  await db.knex.raw(
    `insert into cardholders (id, reference, given_name, family_name, kind)
     select gen_random_uuid(), 'BN-' || lpad(g::text, 7, '0'), 'Given' || g, 'Family' || g, 'resident' from generate_series(1, ?) g`,
    [count],
  );
  await db.knex.raw(
    `insert into cards (id, cardholder_id, kind, status, algorithm, expires_at)
     select gen_random_uuid(), id, 'standard', 'active', 'p256', now() + interval '2 years' from cardholders where reference like 'BN-%'`,
  );
}

/** `count` taps from the past 30 days, granted and denied, spread over the readers and cardholders, in chunks. */
export async function seedEarlierTaps(db: Database, count: number, readerIds: readonly string[]): Promise<void> {
  const chunk = 250_000;
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    await db.knex.raw(
      `with holders as (select array_agg(id) as ids, count(*)::int as n from cardholders),
            readers as (select ?::uuid[] as ids)
       insert into taps (id, reader_id, purpose, target, challenge, created_at, expires_at, consumed_at, decision, reason, assurance, cardholder_id, issuer, decided_at)
       select gen_random_uuid(), readers.ids[1 + g % array_length(readers.ids, 1)], 'identity.verify', 'bench',
              decode(md5(g::text) || md5((g + 1)::text), 'hex'),
              now() - (g % 2592000) * interval '1 second', now() - (g % 2592000) * interval '1 second' + interval '30 seconds',
              now() - (g % 2592000) * interval '1 second', case when g % 20 = 0 then 'denied' else 'granted' end,
              case when g % 20 = 0 then 'card_suspended' else 'ok' end, 'card', holders.ids[1 + g % holders.n], 'platform',
              now() - (g % 2592000) * interval '1 second'
       from generate_series(?::int, ?::int) g, holders, readers`,
      [[...readerIds] as unknown as string, from, to],
    );
  }
  await db.knex.raw('analyze');
}

/** Registers `count` kiosk readers; returns their ids and credentials. */
export async function seedReaders(db: Database, count: number): Promise<{ id: string; credential: string }[]> {
  const readers: { id: string; credential: string }[] = [];
  for (let i = 0; i < count; i++) {
    const { reader, credential } = await db.knex.transaction((trx) =>
      createReader(trx, { name: `bench-kiosk-${i}`, kind: 'kiosk', site: 'Bench', target: `Kiosk ${i}` }, { actor: { kind: 'system', id: 'bench' }, now: new Date() }),
    );
    readers.push({ id: reader.id, credential });
  }
  return readers;
}

/** `count` cards with software keys and real certificates from the platform CA, for the load generator. */
export async function seedSoftwareCards(db: Database, pki: PlatformPki, count: number, concurrency = 8): Promise<SoftwareCard[]> {
  const cards: SoftwareCard[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        cards.push(await issueSoftwareCard(db.knex, pki, { algorithm: 'p256', givenName: 'Pool', familyName: `Card ${next}` }));
      }
    }),
  );
  return cards;
}
