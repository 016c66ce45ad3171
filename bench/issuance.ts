/**
 * Bulk card issuance on simulated in-process cards over PostgreSQL: every step a real desk does
 * (9B key change and re-authentication, key generation on the card, two certificates from the
 * platform CA, CHUID, PUK, PIN, self-test signatures), each recorded and audited.
 *   npm run bench:issuance        (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres;
 *                                  a throwaway database is created and dropped; BENCH_CARDS=n)
 * Last line: RESULT {...}. Targets: >= 40 cards/min RSA-2048 (keys made on the card), >= 120 P-256.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import knexFactory from 'knex';
import { systemActor } from '../shared/audit/index.js';
import { migrateLatest, openDatabase } from '../shared/db/index.js';
import { SealedBox } from '../shared/secrets/index.js';
import { migrationOptionsFor } from '../services/platform/app.js';
import { allServices } from '../services/platform/services.js';
import { createCardholder } from '../services/identity/cardholders/index.js';
import { cardCertificateHooks, PlatformPki } from '../services/identity/pki/index.js';
import { DeskReaders, issueCard, SimulatedDeskStock, type IssuanceDeps } from '../services/identity/issuance/index.js';

const TARGETS = { rsa2048: 40, p256: 120 } as const;
const CARDS = { rsa2048: Number(process.env.BENCH_CARDS ?? 40), p256: Number(process.env.BENCH_CARDS ?? 80) };
const WARM_UP = 3;
const DESK = 'Bench desk';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `tessera_bench_issuance_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = openDatabase({ databaseUrl: url.toString(), poolMax: 10 });
  try {
    await migrateLatest(db, migrationOptionsFor(allServices()));
    const secrets = new SealedBox(randomBytes(32));
    const now = () => new Date();
    const pki = new PlatformPki({ db, secrets, now, organisation: 'Bench Council', crlUrl: 'http://bench.invalid/v1/pki/crl' });
    await pki.ensureHierarchy();
    const deps: IssuanceDeps = {
      db,
      secrets,
      now,
      timeZone: 'Europe/London',
      renewalWindowDays: 90,
      pki,
      certificates: cardCertificateHooks(pki),
      deskReaders: new DeskReaders([new SimulatedDeskStock([DESK])]),
    };
    const enrol = (n: number) =>
      db.knex.transaction(async (trx) => {
        const ids: string[] = [];
        for (let i = 0; i < n; i++) ids.push((await createCardholder(trx, { givenName: 'Bench', familyName: `Pupil ${i}`, kind: 'pupil' }, now())).id);
        return ids;
      });
    const issueOne = (cardholderId: string, algorithm: 'rsa2048' | 'p256') =>
      issueCard(deps, { cardholderId, purpose: 'new', deskReader: DESK, algorithm, pin: '274019', activate: true, actor: systemActor('bench') });

    const figures: Record<'rsa2048' | 'p256', { perMinute: number; latencies: number[] }> = { rsa2048: { perMinute: 0, latencies: [] }, p256: { perMinute: 0, latencies: [] } };
    for (const algorithm of ['p256', 'rsa2048'] as const) {
      for (const id of await enrol(WARM_UP)) await issueOne(id, algorithm);
      const holders = await enrol(CARDS[algorithm]);
      const started = performance.now();
      for (const id of holders) {
        const t = performance.now();
        await issueOne(id, algorithm);
        figures[algorithm].latencies.push(performance.now() - t);
      }
      figures[algorithm].perMinute = holders.length / ((performance.now() - started) / 60_000);
      figures[algorithm].latencies.sort((a, b) => a - b);
      const f = figures[algorithm];
      console.log(
        `${algorithm.padEnd(8)} ${String(holders.length).padStart(4)} cards  ${f.perMinute.toFixed(1).padStart(7)} cards/min   ` +
          `p50 ${quantile(f.latencies, 0.5).toFixed(1)} ms   p99 ${quantile(f.latencies, 0.99).toFixed(1)} ms   ` +
          `x${(f.perMinute / TARGETS[algorithm]).toFixed(2)} vs target ${TARGETS[algorithm]}/min`,
      );
    }
    const all = [...figures.rsa2048.latencies, ...figures.p256.latencies].sort((a, b) => a - b);
    const audit = await db.knex('audit_events').count({ n: '*' }).first();
    console.log(`audit rows written: ${audit?.n}; database: PostgreSQL (${url.host})`);
    const round = (x: number) => Math.round(x * 10) / 10;
    const result = {
      cards_per_min_rsa2048: round(figures.rsa2048.perMinute),
      cards_per_min_p256: round(figures.p256.perMinute),
      p50_ms: round(quantile(all, 0.5)),
      p99_ms: round(quantile(all, 0.99)),
      p50_ms_rsa2048: round(quantile(figures.rsa2048.latencies, 0.5)),
      p99_ms_rsa2048: round(quantile(figures.rsa2048.latencies, 0.99)),
      p50_ms_p256: round(quantile(figures.p256.latencies, 0.5)),
      p99_ms_p256: round(quantile(figures.p256.latencies, 0.99)),
      ratio_rsa2048_vs_target: round(figures.rsa2048.perMinute / TARGETS.rsa2048),
      ratio_p256_vs_target: round(figures.p256.perMinute / TARGETS.p256),
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await db.close();
    await admin.raw(`drop database if exists "${name}" with (force)`);
    await admin.destroy();
  }
}

await main();
