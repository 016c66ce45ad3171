/**
 * What the parse-once design of shared/x509 buys the tap path: verifying a card certificate
 * (chain to the issuing CA plus the CRL check) from the cached view, against the baseline of
 * parsing the DER on every tap. Both sides verify with node:crypto; the difference is parsing.
 * Run: npx tsx bench/x509-verify.ts
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { SealedBox } from '../shared/secrets/index.js';
import { CertificateCache, parseCertificate, verifyChain } from '../shared/x509/index.js';
import { PlatformPki } from '../services/identity/pki/index.js';
import { createTestDatabase } from '../test/support/test-database.js';

const ROUNDS = 2_000;
const WARMUP = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function measure(label: string, work: () => void): { label: string; medianUs: number; p99Us: number } {
  for (let i = 0; i < WARMUP; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    work();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  const result = { label, medianUs: percentile(samples, 50), p99Us: percentile(samples, 99) };
  process.stdout.write(`${label.padEnd(48)} median ${result.medianUs.toFixed(1).padStart(8)} µs   p99 ${result.p99Us.toFixed(1).padStart(8)} µs\n`);
  return result;
}

const db = await createTestDatabase();
try {
  const pki = new PlatformPki({ db, secrets: new SealedBox(randomBytes(32)), now: () => new Date(), organisation: 'Bench Council', crlUrl: 'http://localhost/v1/pki/crl' });
  await pki.ensureHierarchy();
  const results: Record<string, { medianUs: number; p99Us: number }> = {};
  for (const spec of ['p256', 'rsa2048'] as const) {
    const publicKey = spec === 'p256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey : generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const issued = await pki.issueCardCertificate({ profile: 'card-auth', publicKey, cardId: randomUUID(), cardholderRef: 'CH-1', notAfter: new Date(Date.now() + 365 * 86_400_000) });
    const trust = await pki.trustMaterial();
    const options = { anchors: [trust.issuing], crls: [trust.crl], revocation: 'require' as const, at: new Date() };
    const cache = new CertificateCache();
    const der = issued.der;
    results[`${spec}_parse_each_tap`] = measure(`${spec} card: parse DER + verify chain and CRL`, () => verifyChain(parseCertificate(der), options));
    results[`${spec}_cached_view`] = measure(`${spec} card: cached view + verify chain and CRL`, () => verifyChain(cache.view(der), options));
  }
  const ratio = results.p256_parse_each_tap!.medianUs / results.p256_cached_view!.medianUs;
  process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ratio parse-each-tap / cached (P-256 card): ${ratio.toFixed(2)}x\n`);
  process.stdout.write(
    `RESULT ${JSON.stringify({
      p256_cached_median_us: Number(results.p256_cached_view!.medianUs.toFixed(1)),
      p256_cached_p99_us: Number(results.p256_cached_view!.p99Us.toFixed(1)),
      p256_parse_median_us: Number(results.p256_parse_each_tap!.medianUs.toFixed(1)),
      rsa2048_cached_median_us: Number(results.rsa2048_cached_view!.medianUs.toFixed(1)),
      ratio_parse_vs_cached: Number(ratio.toFixed(2)),
    })}\n`,
  );
} finally {
  await db.dispose();
}
