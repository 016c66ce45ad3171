/** Asymmetric algorithm identifiers (SP 800-78-4 Table 6-2) this client drives. */
export const keyAlgorithms = {
  RSA2048: { id: 0x07, kind: 'rsa', size: 256 },
  P256: { id: 0x11, kind: 'ec', size: 32, curve: 'P-256' },
} as const;

export type PivKeyAlgorithm = keyof typeof keyAlgorithms;

/** Symmetric algorithm identifiers for the card management key 9B (SP 800-78-4 Table 6-1). */
export const managementKeyAlgorithms = {
  '3DES': { id: 0x03, keyLength: 24, blockLength: 8, cipher: 'des-ede3' },
  AES128: { id: 0x08, keyLength: 16, blockLength: 16, cipher: 'aes-128-ecb' },
  AES192: { id: 0x0a, keyLength: 24, blockLength: 16, cipher: 'aes-192-ecb' },
  AES256: { id: 0x0c, keyLength: 32, blockLength: 16, cipher: 'aes-256-ecb' },
} as const;

export type ManagementKeyAlgorithm = keyof typeof managementKeyAlgorithms;

/** The factory management key every tool assumes (YKPIV_MGM_DEFAULT), 3DES. */
export const DEFAULT_MANAGEMENT_KEY = Uint8Array.from(Buffer.from('010203040506070801020304050607080102030405060708', 'hex'));
