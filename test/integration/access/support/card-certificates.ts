import { createHash, randomUUID, webcrypto } from 'node:crypto';
import type { Knex } from 'knex';
import { randomSerial, x509 } from '../../../../shared/x509/index.js';

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * Certificate rows for a test card, as the platform PKI records them (pki_certificates), so the
 * allow-list has card keys to list. Self-signed: the allow-list carries keys and fingerprints,
 * it does not check chains (the platform did that when it issued them).
 */
export async function recordCardCertificate(knex: Knex, cardId: string, slot: '9A' | '9E'): Promise<{ fingerprint: string; der: Uint8Array; privateKey: webcrypto.CryptoKey }> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date('2026-01-01T00:00:00Z');
  const notAfter = new Date('2029-01-01T00:00:00Z');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: randomSerial(), name: `CN=card ${cardId} ${slot}`, notBefore, notAfter, keys, signingAlgorithm: EC });
  const der = new Uint8Array(cert.rawData);
  const fingerprint = createHash('sha256').update(der).digest('hex');
  const authorityId = randomUUID();
  await knex('pki_authorities').insert({
    id: authorityId, role: 'intermediate', status: 'retired', origin: 'imported', chain_position: 9, subject: 'CN=test', serial: randomSerial(),
    fingerprint, key_algorithm: 'p256', certificate_der: Buffer.from(der), not_before: notBefore, not_after: notAfter, created_at: notBefore,
  });
  await knex('pki_certificates').insert({
    serial: randomSerial(), authority_id: authorityId, card_id: cardId, profile: slot === '9E' ? 'card-auth' : 'piv-auth', slot,
    subject: `CN=card ${cardId}`, cardholder_ref: 'T', fingerprint, certificate_der: Buffer.from(der), not_before: notBefore, not_after: notAfter, issued_at: notBefore,
  });
  return { fingerprint, der, privateKey: keys.privateKey };
}
