export { SealedBox } from './sealed-box.js';
export { resolveKeyEncryptionKey } from './key-encryption-key.js';
