import { OID } from '../../../shared/x509/index.js';
import { TESSERA_POLICY } from './policy-oids.js';

export type CardCertificateProfile = 'piv-auth' | 'card-auth';
export type CardSlot = '9A' | '9E';

export interface CardProfileDefinition {
  readonly slot: CardSlot;
  /** Organisational unit of the subject DN. */
  readonly unit: string;
  readonly extendedKeyUsage: readonly string[];
  readonly extendedKeyUsageCritical: boolean;
  readonly policy: string;
  /** Whether the cardholder reference appears in the certificate (see docs/pki.md: privacy). */
  readonly carriesCardholderRef: boolean;
}

/**
 * The two card certificate profiles, after FIPS 201-3 §4.2.2 and the Federal PKI Common Policy
 * certificate profiles (worksheets 9 and 10), adapted to a council:
 *
 * - PIV Authentication (9A, PIN-protected, contact): digitalSignature; EKU clientAuth and
 *   smart card logon so the same certificate serves workstation log-on; the subject names the
 *   cardholder by reference, never by name (data minimisation: the certificate is readable
 *   without the PIN).
 * - Card Authentication (9E, no PIN, contactless): digitalSignature; EKU id-PIV-cardAuth,
 *   critical, so the key is good for nothing else; the subject carries only the card UUID,
 *   because FIPS 201-3 keeps personal data off the certificate anyone can read wirelessly.
 *
 * Both carry the card UUID as a `urn:uuid:` URI in subjectAltName (FIPS 201-3 §4.2.2.1 / §4.2.2.2).
 */
export const CARD_PROFILES: Readonly<Record<CardCertificateProfile, CardProfileDefinition>> = {
  'piv-auth': {
    slot: '9A',
    unit: 'PIV Authentication',
    extendedKeyUsage: [OID.clientAuth, OID.smartcardLogon],
    extendedKeyUsageCritical: false,
    policy: TESSERA_POLICY.pivAuthentication,
    carriesCardholderRef: true,
  },
  'card-auth': {
    slot: '9E',
    unit: 'Card Authentication',
    extendedKeyUsage: [OID.pivCardAuth],
    extendedKeyUsageCritical: true,
    policy: TESSERA_POLICY.cardAuthentication,
    carriesCardholderRef: false,
  },
};

export const CARD_PROFILE_NAMES = Object.keys(CARD_PROFILES) as CardCertificateProfile[];

export function profileOfSlot(slot: CardSlot): CardCertificateProfile {
  return slot === '9A' ? 'piv-auth' : 'card-auth';
}
