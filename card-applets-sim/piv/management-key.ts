/**
 * Card management key (9B) ciphers: 3DES (SP 800-78-4 algorithm 00/03) and AES (08/0A/0C),
 * single-block ECB as used by the PIV challenge-response (Part 2 Appendix A.1).
 */
import { createCipheriv } from 'node:crypto';
import { ALG, type ManagementAlgorithm } from './piv-constants.js';

interface CipherSpec {
  readonly nodeName: string;
  readonly keyLength: number;
  readonly blockLength: number;
  readonly algorithmId: number;
}

export const MANAGEMENT_CIPHERS: Readonly<Record<ManagementAlgorithm, CipherSpec>> = {
  '3des': { nodeName: 'des-ede3', keyLength: 24, blockLength: 8, algorithmId: ALG.TDEA_3KEY },
  aes128: { nodeName: 'aes-128-ecb', keyLength: 16, blockLength: 16, algorithmId: ALG.AES_128 },
  aes192: { nodeName: 'aes-192-ecb', keyLength: 24, blockLength: 16, algorithmId: ALG.AES_192 },
  aes256: { nodeName: 'aes-256-ecb', keyLength: 32, blockLength: 16, algorithmId: ALG.AES_256 },
};

/** Algorithm ID in GA P1 / SET MGMT KEY -> cipher. 00 is the PIV default, 3DES. */
export function managementAlgorithmOfId(id: number): ManagementAlgorithm | undefined {
  switch (id) {
    case ALG.TDEA_DEFAULT:
    case ALG.TDEA_3KEY: return '3des';
    case ALG.AES_128: return 'aes128';
    case ALG.AES_192: return 'aes192';
    case ALG.AES_256: return 'aes256';
    default: return undefined;
  }
}

export function encryptBlock(alg: ManagementAlgorithm, key: Uint8Array, block: Uint8Array): Uint8Array {
  const spec = MANAGEMENT_CIPHERS[alg];
  const cipher = createCipheriv(spec.nodeName, key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
}
