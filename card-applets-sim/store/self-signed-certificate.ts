/**
 * A minimal self-signed X.509 v3 certificate (RFC 5280 §4.1) built with the shared TLV encoder
 * and signed with node:crypto. Enough for OpenSC to expose the slot's key (digest G7); issuance
 * of real certificates is the platform CA's job, not the card's.
 */
import { createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { concatBytes, encodeTlv } from '../../shared/tlv/index.js';

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const NULL = 0x05;
const OID = 0x06;
const UTF8_STRING = 0x0c;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const BOOLEAN_TRUE = Uint8Array.of(0x01, 0x01, 0xff);

const OID_SHA256_WITH_RSA = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b);
const OID_ECDSA_WITH_SHA256 = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02);
const OID_COMMON_NAME = Uint8Array.of(0x55, 0x04, 0x03);
const OID_BASIC_CONSTRAINTS = Uint8Array.of(0x55, 0x1d, 0x13);
const OID_KEY_USAGE = Uint8Array.of(0x55, 0x1d, 0x0f);
/** KeyUsage BIT STRING with only digitalSignature (bit 0) set: 7 unused bits, 0x80. */
const KEY_USAGE_DIGITAL_SIGNATURE = Uint8Array.of(BIT_STRING, 0x02, 0x07, 0x80);

const seq = (...parts: Uint8Array[]): Uint8Array => encodeTlv(SEQUENCE, concatBytes(...parts));

function signatureAlgorithm(key: KeyObject): Uint8Array {
  return key.asymmetricKeyType === 'rsa'
    ? seq(encodeTlv(OID, OID_SHA256_WITH_RSA), encodeTlv(NULL, new Uint8Array(0)))
    : seq(encodeTlv(OID, OID_ECDSA_WITH_SHA256));
}

function commonName(cn: string): Uint8Array {
  return seq(encodeTlv(SET, seq(encodeTlv(OID, OID_COMMON_NAME), encodeTlv(UTF8_STRING, new TextEncoder().encode(cn)))));
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
function time(date: Date): Uint8Array {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  const year = date.getUTCFullYear();
  const text = year < 2050 ? `${iso.slice(2)}Z` : `${iso}Z`;
  return encodeTlv(year < 2050 ? UTC_TIME : GENERALIZED_TIME, new TextEncoder().encode(text));
}

function extension(oid: Uint8Array, value: Uint8Array): Uint8Array {
  return seq(encodeTlv(OID, oid), BOOLEAN_TRUE, encodeTlv(OCTET_STRING, value));
}

export interface SelfSignedOptions {
  commonName: string;
  notBefore: Date;
  notAfter: Date;
}

export function selfSignedCertificate(privateKey: KeyObject, options: SelfSignedOptions): Uint8Array {
  const serial = new Uint8Array(randomBytes(8));
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and without a leading zero byte
  const spki = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
  const algorithm = signatureAlgorithm(privateKey);
  const name = commonName(options.commonName);
  const tbs = seq(
    encodeTlv(0xa0, encodeTlv(INTEGER, Uint8Array.of(2))), // version v3
    encodeTlv(INTEGER, serial),
    algorithm,
    name,
    seq(time(options.notBefore), time(options.notAfter)),
    name,
    spki,
    encodeTlv(0xa3, seq(extension(OID_BASIC_CONSTRAINTS, seq()), extension(OID_KEY_USAGE, KEY_USAGE_DIGITAL_SIGNATURE))),
  );
  const signature = new Uint8Array(sign('sha256', tbs, privateKey));
  return seq(tbs, algorithm, encodeTlv(BIT_STRING, concatBytes(Uint8Array.of(0), signature)));
}
