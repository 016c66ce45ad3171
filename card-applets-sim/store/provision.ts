/**
 * `--provision`: make a fresh card usable by OpenSC at once. OpenSC only exposes a key whose
 * certificate object exists (digest G7), so 9A and 9E each get a key pair of the card's default
 * algorithm and a self-signed certificate (self-signed-certificate.ts). The private key stays in
 * the card state; the certificate is only a placeholder until the platform CA issues a real one.
 */
import { createPrivateKey } from 'node:crypto';
import { toHex } from '../../shared/apdu/index.js';
import { buildCertificateObject, certificateTagOfSlot, objectTagKey } from '../piv/data-objects.js';
import { generateStoredKey } from '../piv/key-pair.js';
import { KEY_REF, slotName } from '../piv/piv-constants.js';
import type { CardState } from './card-state.js';
import { selfSignedCertificate } from './self-signed-certificate.js';

const VALIDITY_YEARS = 10;

const PROVISIONED_SLOTS = [
  { keyRef: KEY_REF.PIV_AUTHENTICATION, role: 'PIV Authentication' },
  { keyRef: KEY_REF.CARD_AUTHENTICATION, role: 'Card Authentication' },
] as const;

export function provisionCard(state: CardState, now = new Date()): void {
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  for (const { keyRef, role } of PROVISIONED_SLOTS) {
    const stored = generateStoredKey(state.defaultAlg);
    const privateKey = createPrivateKey({ key: Buffer.from(stored.pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
    const certificate = selfSignedCertificate(privateKey, { commonName: `Tessera simulated card ${state.serial} ${role}`, notBefore: now, notAfter });
    state.keys[slotName(keyRef)] = stored;
    state.objects[objectTagKey(certificateTagOfSlot(keyRef)!)] = toHex(buildCertificateObject(certificate));
  }
}
