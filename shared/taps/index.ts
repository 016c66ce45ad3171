/**
 * The tap protocol's canonical encoding (docs/tap-protocol.md), shared by the platform, which
 * rebuilds the bytes to verify, and by readers (services/reader-agent), which build them to sign.
 */
export { encodeTapForSigning, tapDigest, payloadDigest, TAP_DOMAIN_TAG, TAP_ENCODING_VERSION, CHALLENGE_BYTES, type TapSigningInput } from './tap-encoding.js';
