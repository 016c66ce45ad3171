// Node 20 has WebCrypto's CryptoKey as a global at run time, but @types/node only declares it
// under `webcrypto` unless the DOM lib is loaded (which would bring browser globals we do not have).
// jose and @peculiar/x509 speak CryptoKey, so declare the global to be Node's type.
import type { webcrypto } from 'node:crypto';

declare global {
  type CryptoKey = webcrypto.CryptoKey;
  type CryptoKeyPair = webcrypto.CryptoKeyPair;
}

export {};
