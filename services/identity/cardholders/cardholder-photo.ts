import { TesseraError } from '../../../shared/errors/index.js';

const MAX_PHOTO_BYTES = 256 * 1024;

const signatures: Record<'image/jpeg' | 'image/png', number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};

/** Decodes and checks a photo: its bytes must really be the image type it claims, and small. */
export function decodePhoto(photo: { contentType: 'image/jpeg' | 'image/png'; data: string }): Buffer {
  const bytes = Buffer.from(photo.data, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_PHOTO_BYTES) {
    throw new TesseraError('ERR_PHOTO_INVALID', `The photo is ${bytes.length} bytes; it must be 1 to ${MAX_PHOTO_BYTES}`);
  }
  const magic = signatures[photo.contentType];
  if (!magic.every((byte, i) => bytes[i] === byte)) {
    throw new TesseraError('ERR_PHOTO_INVALID', `The photo's bytes are not a ${photo.contentType}`);
  }
  return bytes;
}
