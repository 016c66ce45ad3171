import { createHash, randomBytes, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { TesseraError } from '../../../shared/errors/index.js';
import {
  NON_FEDERAL_FASCN,
  PinBlockedError,
  PivSlot,
  WrongDataError,
  UnsupportedCommandError,
  WrongPinError,
  WrongPukError,
  type PivKeyAlgorithm,
} from '../../../shared/piv/index.js';
import type { CardCertificateProfile } from '../pki/index.js';
import { FACTORY_PIN, FACTORY_PUK, whichCardKey } from './card-probe.js';
import { managementKeyFor } from './card-secrets.js';
import type { IssuanceAttempt } from './issuance-attempt.js';
import type { CardSlotName, DeskManagementAlgorithm } from './issuance-progress.js';
import { localDateString } from '../../../shared/time/zoned-time.js';

const SLOTS: Readonly<Record<CardSlotName, { slot: number; profile: CardCertificateProfile; keyStep: 'key-9a' | 'key-9e'; certificateStep: 'certificate-9a' | 'certificate-9e' }>> = {
  '9A': { slot: PivSlot.Authentication, profile: 'piv-auth', keyStep: 'key-9a', certificateStep: 'certificate-9a' },
  '9E': { slot: PivSlot.CardAuthentication, profile: 'card-auth', keyStep: 'key-9e', certificateStep: 'certificate-9e' },
};

export const pivAlgorithmOf = (algorithm: 'rsa2048' | 'p256'): PivKeyAlgorithm => (algorithm === 'rsa2048' ? 'RSA2048' : 'P256');

/**
 * Runs the steps the card has not done yet, in order. Every step is safe to repeat: a step the
 * card did but the platform never recorded (the answer was lost when the card came out) is
 * either detected (the card already has our key, PUK or PIN) or simply done again.
 */
export async function runCardSteps(attempt: IssuanceAttempt): Promise<void> {
  await setManagementKey(attempt);
  for (const slot of ['9A', '9E'] as const) await generateKey(attempt, slot);
  for (const slot of ['9A', '9E'] as const) await issueAndWriteCertificate(attempt, slot);
  await writeChuid(attempt);
  await setPuk(attempt);
  await setPin(attempt);
  await selfTest(attempt);
}

/** Replace the factory management key with the card's own, and prove the card took it. */
async function setManagementKey(attempt: IssuanceAttempt): Promise<void> {
  const { client } = attempt;
  const secret = attempt.started.secrets.managementSecret;
  if (attempt.isDone('management-key') || attempt.authenticatedWith === 'card') {
    if (attempt.authenticatedWith !== 'card') await authenticateWithCardKey(attempt);
    if (!attempt.isDone('management-key')) {
      await attempt.record('management-key', () => ({ managementKeyAlgorithm: attempt.progress.managementKeyAlgorithm ?? 'AES256' }), { facts: { algorithm: attempt.progress.managementKeyAlgorithm } });
    }
    return;
  }
  let algorithm: DeskManagementAlgorithm = 'AES256';
  try {
    await client.setManagementKey(managementKeyFor(secret, 'AES256'), 'AES256');
  } catch (error) {
    // Older PIV stock knows only 3DES management keys (SP 800-78-4 allows both).
    if (!(error instanceof WrongDataError || error instanceof UnsupportedCommandError)) throw error;
    algorithm = '3DES';
    await client.setManagementKey(managementKeyFor(secret, '3DES'), '3DES');
  }
  // Never leave a card at the default: authenticating afresh with the new key proves it is set.
  await client.authenticateManagementKey(managementKeyFor(secret, algorithm), algorithm);
  attempt.authenticatedWith = 'card';
  await attempt.record('management-key', () => ({ managementKeyAlgorithm: algorithm }), { facts: { algorithm } });
}

async function authenticateWithCardKey(attempt: IssuanceAttempt): Promise<void> {
  const algorithm = await whichCardKey(attempt.client, attempt.started.secrets.managementSecret);
  if (!algorithm) throw new TesseraError('ERR_CARD_MISMATCH', `The card in the reader does not hold the management key of card ${attempt.cardId}`);
  attempt.authenticatedWith = 'card';
}

/** GENERATE ASYMMETRIC KEY PAIR in the slot: the private key is born on the card and never leaves it. */
async function generateKey(attempt: IssuanceAttempt, slotName: CardSlotName): Promise<void> {
  const spec = SLOTS[slotName];
  if (attempt.isDone(spec.keyStep)) return;
  const generated = await attempt.client.generateKeyPair(spec.slot, pivAlgorithmOf(attempt.started.row.algorithm));
  const spki = Buffer.from(generated.spki).toString('base64');
  await attempt.record(spec.keyStep, (p) => ({ keys: { ...p.keys, [slotName]: spki } }), { facts: { slot: slotName } });
}

/** The CA certifies the card's public key (recorded with the issuance step), then the card stores the certificate. */
async function issueAndWriteCertificate(attempt: IssuanceAttempt, slotName: CardSlotName): Promise<void> {
  const spec = SLOTS[slotName];
  if (attempt.isDone(spec.certificateStep)) return;
  const { deps, started } = attempt;
  let serial = attempt.progress.certificates[slotName];
  let der: Uint8Array | undefined;
  if (!serial) {
    const spki = Buffer.from(attempt.progress.keys[slotName]!, 'base64');
    const issued = await attempt.record(
      undefined,
      (p, cert: { serial: string; der: Uint8Array }) => ({
        certificates: { ...p.certificates, [slotName]: cert.serial },
        certificateDer: { ...p.certificateDer, [slotName]: Buffer.from(cert.der).toString('base64') },
      }),
      {
        within: async (trx) => {
          const cert = await deps.pki.issueCardCertificate(
            { profile: spec.profile, publicKey: new Uint8Array(spki), cardId: started.row.id, cardholderRef: started.cardholder.reference, notAfter: new Date(started.row.expires_at) },
            { trx },
          );
          return { serial: cert.serial, der: cert.der };
        },
      },
    );
    serial = issued.serial;
    der = issued.der;
  }
  const stored = attempt.progress.certificateDer[slotName];
  der ??= stored ? new Uint8Array(Buffer.from(stored, 'base64')) : undefined;
  if (!der) throw new Error(`certificate ${serial} of card ${started.row.id} is not in its issuance record`);
  await attempt.client.writeCertificate(spec.slot, der);
  await attempt.record(spec.certificateStep, () => ({}), { facts: { slot: slotName, serial } });
}

/** The CHUID names the card: its UUID as the GUID, and its expiry date (SP 800-73-4 Part 1 §3.1.2). */
async function writeChuid(attempt: IssuanceAttempt): Promise<void> {
  if (attempt.isDone('chuid')) return;
  const { row } = attempt.started;
  const guid = new Uint8Array(Buffer.from(row.id.replaceAll('-', ''), 'hex'));
  // The last day the card is valid: a card that ends at midnight is printed with the day before.
  const expiry = localDateString(new Date(new Date(row.expires_at).getTime() - 1), attempt.deps.timeZone);
  await attempt.client.writeChuid({ fascn: NON_FEDERAL_FASCN, guid, expiry, signature: new Uint8Array(0) });
  await attempt.record('chuid', () => ({}), { columns: { card_guid: row.id }, facts: { expiry } });
}

/** Factory PUK -> the card's random PUK. A card that refuses the factory PUK took ours on an earlier attempt. */
async function setPuk(attempt: IssuanceAttempt): Promise<void> {
  if (attempt.isDone('puk')) return;
  const { puk } = attempt.started.secrets;
  try {
    await attempt.client.changePuk(FACTORY_PUK, puk);
  } catch (error) {
    if (!(error instanceof WrongPukError)) throw error;
    // Confirms the PUK is ours, and a correct PUK restores the try just spent.
    await attempt.client.changePuk(puk, puk);
  }
  await attempt.record('puk', () => ({}));
}

/** Factory PIN -> the cardholder's PIN; a card already off the factory PIN is set with our PUK. */
async function setPin(attempt: IssuanceAttempt): Promise<void> {
  if (attempt.isDone('pin')) {
    // The PIN is never stored, so a retry sets the PIN it was given (the cardholder may have chosen again).
    await attempt.client.unblockPin(attempt.started.secrets.puk, attempt.pin);
    return;
  }
  try {
    await attempt.client.changePin(FACTORY_PIN, attempt.pin);
  } catch (error) {
    if (!(error instanceof WrongPinError || error instanceof PinBlockedError)) throw error;
    await attempt.client.unblockPin(attempt.started.secrets.puk, attempt.pin);
  }
  await attempt.record('pin', () => ({}));
}

/**
 * The card signs a fresh challenge with each key, and each signature verifies with the key in
 * its certificate: the certificates on the card belong to the keys on the card, and the PIN works.
 */
async function selfTest(attempt: IssuanceAttempt): Promise<void> {
  if (attempt.isDone('self-test')) return;
  const algorithm = pivAlgorithmOf(attempt.started.row.algorithm);
  for (const slotName of ['9E', '9A'] as const) {
    const spec = SLOTS[slotName];
    const certificate = new X509Certificate(await attempt.client.readCertificate(spec.slot));
    const challenge = randomBytes(32);
    const digest = createHash('sha256').update(challenge).digest();
    const pin = slotName === '9A' ? { pin: attempt.pin } : {};
    const signature = await attempt.client.signDigest(spec.slot, algorithm, digest, pin);
    if (!verifies(certificate.publicKey, challenge, signature)) {
      throw new TesseraError('ERR_CARD_MISMATCH', `The key in slot ${slotName} does not match its certificate`, { slot: slotName });
    }
  }
  await attempt.client.resetPinStatus();
  await attempt.record('self-test', () => ({}));
}

function verifies(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  return key.asymmetricKeyType === 'ec'
    ? verify('sha256', message, { key, dsaEncoding: 'der' }, signature)
    : verify('sha256', message, key, signature);
}
