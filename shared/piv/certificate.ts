import { gunzipSync, gzipSync } from 'node:zlib';
import type { CardChannel } from '../card/card-channel.js';
import { concatBytes, encodeTlv } from '../tlv/index.js';
import { parseTlvs, valueOf } from './response-tlv.js';
import { certificateTagOf, type PivSlot } from './constants.js';
import { getData, putData } from './data-objects.js';
import { CardProtocolError, NotFoundError } from './errors.js';

const TAG_CERTIFICATE = 0x70;
const TAG_CERT_INFO = 0x71;
const TAG_ERROR_DETECTION = 0xfe;
/** CertInfo bit 0: the certificate is gzip-compressed (Part 1 Appendix A, Table 10 note). */
const CERT_INFO_GZIP = 0x01;
/** OpenSC also treats bit 7 as "compressed"; accept what other issuers wrote. */
const CERT_INFO_GZIP_LEGACY = 0x80;

/** The DER certificate of a slot; NotFoundError if the slot has none (absent or deleted object). */
export async function readCertificate(channel: CardChannel, slot: PivSlot): Promise<Uint8Array> {
  const container = await getData(channel, certificateTagOf(slot));
  return decodeCertificateContainer(container, slot);
}

/** Writes `53 { 70 cert, 71 info, FE 00 }` (the ykpiv layout); compress only for large chains of readers that gunzip. */
export async function writeCertificate(
  channel: CardChannel,
  slot: PivSlot,
  der: Uint8Array,
  options: { compress?: boolean } = {},
): Promise<void> {
  await putData(channel, certificateTagOf(slot), encodeCertificateContainer(der, options.compress ?? false));
}

/** Deletes a slot's certificate object (PUT DATA with an empty 53, as ykpiv delete-certificate). */
export async function deleteCertificate(channel: CardChannel, slot: PivSlot): Promise<void> {
  await putData(channel, certificateTagOf(slot), new Uint8Array(0));
}

export function encodeCertificateContainer(der: Uint8Array, compress: boolean): Uint8Array {
  const body = compress ? new Uint8Array(gzipSync(der)) : der;
  return concatBytes(
    encodeTlv(TAG_CERTIFICATE, body),
    encodeTlv(TAG_CERT_INFO, Uint8Array.of(compress ? CERT_INFO_GZIP : 0x00)),
    encodeTlv(TAG_ERROR_DETECTION, new Uint8Array(0)),
  );
}

export function decodeCertificateContainer(container: Uint8Array, slot: PivSlot): Uint8Array {
  const what = `certificate of slot ${slot.toString(16).toUpperCase()}`;
  const items = parseTlvs(container, what);
  const body = valueOf(items, TAG_CERTIFICATE);
  if (body === undefined || body.length === 0) throw new NotFoundError(`The ${what}`);
  const info = valueOf(items, TAG_CERT_INFO)?.[0] ?? 0x00;
  if ((info & (CERT_INFO_GZIP | CERT_INFO_GZIP_LEGACY)) === 0) return Uint8Array.from(body);
  try {
    return new Uint8Array(gunzipSync(body));
  } catch (cause) {
    throw new CardProtocolError(`The ${what} is marked gzip but does not inflate: ${(cause as Error).message}`);
  }
}
