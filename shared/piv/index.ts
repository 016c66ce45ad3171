export { PivClient } from './client.js';
export { PIV_AID, PivSlot, ObjectTag, KeyReference, certificateTagOf, parseSlot } from './constants.js';
export {
  keyAlgorithms,
  managementKeyAlgorithms,
  DEFAULT_MANAGEMENT_KEY,
  type PivKeyAlgorithm,
  type ManagementKeyAlgorithm,
} from './algorithms.js';
export { selectPiv, type PivApplicationInfo } from './select.js';
export { getData, putData } from './data-objects.js';
export {
  readCertificate,
  writeCertificate,
  deleteCertificate,
  encodeCertificateContainer,
  decodeCertificateContainer,
} from './certificate.js';
export { readChuid, writeChuid, newChuid, encodeChuid, decodeChuid, formatGuid, NON_FEDERAL_FASCN, type Chuid } from './chuid.js';
export { encodePin, verifyPin, pinStatus, resetPinStatus, changePin, changePuk, unblockPin, type PinStatus } from './pin.js';
export { authenticateManagementKey, setManagementKey, blockCipher } from './management-key.js';
export { generateKeyPair, decodePublicKey, type GeneratedKey, type GenerateOptions } from './generate.js';
export { signDigest, pkcs1v15SignatureBlock, ecdsaDerToJose, joseToEcdsaDer, SHA256_DIGEST_INFO_PREFIX } from './sign.js';
export { transact, transactOk, type PivCommand, type PivResponse } from './transport.js';
export { errorForStatus, type CredentialReference } from './status-errors.js';
export * from './errors.js';
