import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import type { SimulatedCard } from '../../../card-applets-sim/index.js';
import { SimulatedCardChannel } from '../../../card-applets-sim/index.js';
import type { CardChannel } from '../../../shared/card/card-channel.js';
import { DEFAULT_MANAGEMENT_KEY, formatGuid, PivClient, PivSlot } from '../../../shared/piv/index.js';

/** What the holder of a card can do with it: read both certificates, sign with 9E freely and 9A with the PIN. */
export async function checkUsableCard(channel: CardChannel, expected: { cardId: string; pin: string; algorithm: 'rsa2048' | 'p256' }) {
  const client = new PivClient(channel);
  await client.select();
  const chuid = await client.readChuid();
  expect(formatGuid(chuid.guid)).to.equal(expected.cardId);
  const certificates: Record<string, X509Certificate> = {};
  for (const [name, slot] of [['9A', PivSlot.Authentication], ['9E', PivSlot.CardAuthentication]] as const) {
    const certificate = new X509Certificate(await client.readCertificate(slot));
    expect(certificate.subjectAltName).to.include(`urn:uuid:${expected.cardId}`);
    const challenge = randomBytes(48);
    const digest = createHash('sha256').update(challenge).digest();
    const signature = await client.signDigest(slot, expected.algorithm === 'rsa2048' ? 'RSA2048' : 'P256', digest, name === '9A' ? { pin: expected.pin } : {});
    const key = certificate.publicKey;
    const ok = key.asymmetricKeyType === 'ec' ? verify('sha256', challenge, { key, dsaEncoding: 'der' }, signature) : verify('sha256', challenge, key, signature);
    expect(ok, `${name} signature verifies with its certificate`).to.equal(true);
    certificates[name] = certificate;
  }
  // The factory management key no longer opens the card.
  let refused = false;
  try {
    await client.authenticateManagementKey(DEFAULT_MANAGEMENT_KEY, '3DES');
  } catch {
    refused = true;
  }
  expect(refused, 'the factory management key is refused').to.equal(true);
  return certificates as { '9A': X509Certificate; '9E': X509Certificate };
}

export function channelOf(card: SimulatedCard): CardChannel {
  card.reset();
  return new SimulatedCardChannel(card);
}
