/** PIV application identifier, NIST RID A000000308 + PIX 00001000 0100 (SP 800-73-4 Part 1 §2.2). */
export const PIV_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00);

/** Asymmetric key references (SP 800-73-4 Part 1 §5.1, Table 4b). */
export const PivSlot = {
  /** 9A PIV Authentication: PIN, two factors (PKI-AUTH). */
  Authentication: 0x9a,
  /** 9C Digital Signature: PIN always, immediately before each signature. */
  Signature: 0x9c,
  /** 9D Key Management: PIN; decryption and key agreement. */
  KeyManagement: 0x9d,
  /** 9E Card Authentication: no PIN, contactless allowed (PKI-CAK, SP 800-116). */
  CardAuthentication: 0x9e,
} as const;

/** A key slot: the four named ones or a retired Key Management slot 82..95. */
export type PivSlot = number;

const FIRST_RETIRED = 0x82;
const LAST_RETIRED = 0x95;

/** Certificate data object of each slot (Part 1 Appendix A; card-piv.c piv_objects[]). */
export function certificateTagOf(slot: PivSlot): number {
  switch (slot) {
    case PivSlot.Authentication:
      return 0x5fc105;
    case PivSlot.Signature:
      return 0x5fc10a;
    case PivSlot.KeyManagement:
      return 0x5fc10b;
    case PivSlot.CardAuthentication:
      return 0x5fc101;
    default:
      if (slot >= FIRST_RETIRED && slot <= LAST_RETIRED) return 0x5fc10d + (slot - FIRST_RETIRED);
      throw new RangeError(`0x${slot.toString(16)} is not a PIV key slot`);
  }
}

/** '9a', '9A' or '0x9a' -> 0x9a, for CLIs and configuration. */
export function parseSlot(text: string): PivSlot {
  if (!/^(0x)?[0-9a-f]{2}$/i.test(text)) throw new RangeError(`"${text}" is not a PIV key slot (9a, 9c, 9d, 9e, 82..95)`);
  const slot = Number.parseInt(text.replace(/^0x/i, ''), 16);
  certificateTagOf(slot);
  return slot;
}

/** Data object tags the client reads or writes (Part 1 Appendix A). */
export const ObjectTag = {
  CardCapabilityContainer: 0x5fc107,
  Chuid: 0x5fc102,
  Discovery: 0x7e,
  KeyHistory: 0x5fc10c,
  PrintedInformation: 0x5fc109,
} as const;

/** Key references of the secrets (Part 1 §5.1). */
export const KeyReference = {
  Pin: 0x80,
  Puk: 0x81,
  ManagementKey: 0x9b,
} as const;

/** Instructions (Part 2 §3; FF is the YubiKey SET MANAGEMENT KEY extension, digest §6). */
export const Ins = {
  Select: 0xa4,
  GetData: 0xcb,
  PutData: 0xdb,
  Verify: 0x20,
  ChangeReferenceData: 0x24,
  ResetRetryCounter: 0x2c,
  GeneralAuthenticate: 0x87,
  GenerateKeyPair: 0x47,
  SetManagementKey: 0xff,
} as const;
