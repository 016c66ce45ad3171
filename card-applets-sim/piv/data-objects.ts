/**
 * PIV data objects (SP 800-73-4 Part 1 Appendix A) with their read rules, and the factory
 * templates libykpiv writes (digest §3). Stored and returned as the whole object TLV.
 */
import { encodeTlv, concatBytes } from '../../shared/tlv/index.js';
import { PIV_AID } from './piv-constants.js';

export const TAG = {
  CAPABILITY_CONTAINER: 0x5fc107,
  CHUID: 0x5fc102,
  CERT_PIV_AUTHENTICATION: 0x5fc105,
  FINGERPRINTS: 0x5fc103,
  SECURITY_OBJECT: 0x5fc106,
  FACIAL_IMAGE: 0x5fc108,
  PRINTED_INFORMATION: 0x5fc109,
  CERT_DIGITAL_SIGNATURE: 0x5fc10a,
  CERT_KEY_MANAGEMENT: 0x5fc10b,
  CERT_CARD_AUTHENTICATION: 0x5fc101,
  KEY_HISTORY: 0x5fc10c,
  IRIS: 0x5fc121,
  DISCOVERY: 0x7e,
  BIOMETRIC_GROUP_TEMPLATE: 0x7f61,
} as const;

/** The object TLV tag for everything but Discovery and the BIT group template. */
export const OBJECT_CONTAINER_TAG = 0x53;

/** Objects only readable after PIN verification (Part 1 Table 3, "PIN" access rule). */
const PIN_PROTECTED = new Set<number>([TAG.FINGERPRINTS, TAG.FACIAL_IMAGE, TAG.PRINTED_INFORMATION, TAG.IRIS]);

/** Certificate object of each asymmetric key slot; retired 82–95 map to 5FC10D–5FC120. */
export function certificateTagOfSlot(keyRef: number): number | undefined {
  switch (keyRef) {
    case 0x9a: return TAG.CERT_PIV_AUTHENTICATION;
    case 0x9c: return TAG.CERT_DIGITAL_SIGNATURE;
    case 0x9d: return TAG.CERT_KEY_MANAGEMENT;
    case 0x9e: return TAG.CERT_CARD_AUTHENTICATION;
    default:
      return keyRef >= 0x82 && keyRef <= 0x95 ? 0x5fc10d + (keyRef - 0x82) : undefined;
  }
}

/**
 * Tags this card stores: the PIV range 5FC101–5FC123, Discovery, the BIT group template and
 * YubiKey's vendor objects 5FFF00–5FFF15 (admin data, MS roots) that libykpiv may write.
 */
export function isStorableObjectTag(tag: number): boolean {
  return (tag >= 0x5fc101 && tag <= 0x5fc123) || tag === TAG.DISCOVERY || tag === TAG.BIOMETRIC_GROUP_TEMPLATE || (tag >= 0x5fff00 && tag <= 0x5fff15);
}

export function isPinProtectedObject(tag: number): boolean {
  return PIN_PROTECTED.has(tag);
}

/** Objects sent to PUT DATA without the 5C/53 wrapping (Part 2 §3.3.2). */
export function isSelfTaggedObject(tag: number): boolean {
  return tag === TAG.DISCOVERY || tag === TAG.BIOMETRIC_GROUP_TEMPLATE;
}

export function objectTagKey(tag: number): string {
  return tag.toString(16).toUpperCase();
}

/** FASC-N of ykpiv's template: agency code 9999 (non-federal), so OpenSC uses the GUID as serial. */
const NON_FEDERAL_FASCN = Uint8Array.from(Buffer.from('D4E739DA739CED39CE739D836858210842108421C84210C3EB', 'hex'));
const CHUID_EXPIRY = new TextEncoder().encode('20300101');

/** CHUID (Part 1 §3.1.2): FASC-N, GUID, expiry, empty signature, error detection code. */
export function buildChuid(guid: Uint8Array): Uint8Array {
  if (guid.length !== 16) throw new RangeError('GUID must be 16 bytes');
  return encodeTlv(
    OBJECT_CONTAINER_TAG,
    concatBytes(encodeTlv(0x30, NON_FEDERAL_FASCN), encodeTlv(0x34, guid), encodeTlv(0x35, CHUID_EXPIRY), encodeTlv(0x3e, new Uint8Array(0)), encodeTlv(0xfe, new Uint8Array(0))),
  );
}

/** Card Capability Container as libykpiv writes it: F0 card identifier = GSC-RID A000000116, FF 02, 14 random bytes. */
export function buildCapabilityContainer(cardIdentifier: Uint8Array): Uint8Array {
  if (cardIdentifier.length !== 14) throw new RangeError('card identifier suffix must be 14 bytes');
  const empty = new Uint8Array(0);
  return encodeTlv(
    OBJECT_CONTAINER_TAG,
    concatBytes(
      encodeTlv(0xf0, concatBytes(Uint8Array.of(0xa0, 0x00, 0x00, 0x01, 0x16, 0xff, 0x02), cardIdentifier)),
      encodeTlv(0xf1, Uint8Array.of(0x21)),
      encodeTlv(0xf2, Uint8Array.of(0x21)),
      encodeTlv(0xf3, empty),
      encodeTlv(0xf4, Uint8Array.of(0x00)),
      encodeTlv(0xf5, Uint8Array.of(0x10)),
      ...[0xf6, 0xf7, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe].map((tag) => encodeTlv(tag, empty)),
    ),
  );
}

/** Discovery object (Part 1 §3.3.2): full AID, PIN usage policy 40 00 = PIV PIN only (digest G2). */
export function buildDiscoveryObject(): Uint8Array {
  return encodeTlv(TAG.DISCOVERY, concatBytes(encodeTlv(0x4f, PIV_AID), encodeTlv(0x5f2f, Uint8Array.of(0x40, 0x00))));
}

/** Certificate container `53 { 70 cert, 71 01 00, FE 00 }` as ykpiv writes it (digest §3). */
export function buildCertificateObject(certificateDer: Uint8Array): Uint8Array {
  return encodeTlv(
    OBJECT_CONTAINER_TAG,
    concatBytes(encodeTlv(0x70, certificateDer), encodeTlv(0x71, Uint8Array.of(0x00)), encodeTlv(0xfe, new Uint8Array(0))),
  );
}
