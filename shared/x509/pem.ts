/**
 * PEM (RFC 7468): base64 of DER between BEGIN/END lines. Labels matter to OpenSSL: a CRL is
 * `X509 CRL` (RFC 7468 §6), not the `CRL` some libraries write.
 */
export const PEM_CERTIFICATE = 'CERTIFICATE';
export const PEM_CRL = 'X509 CRL';

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

export function toPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order; text between blocks (e.g. `openssl x509 -text` output) is ignored. */
export function readPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const body = match[2]!.replace(/[\r\n\t ]/g, '');
    // Encapsulated headers (Proc-Type ...) mean legacy encrypted PEM; leave those to node:crypto.
    blocks.push({ label: match[1]!, der: new Uint8Array(Buffer.from(body, 'base64')) });
  }
  return blocks;
}

export function isPem(input: Uint8Array | string): boolean {
  const text = typeof input === 'string' ? input : Buffer.from(input.subarray(0, 64)).toString('latin1');
  return text.trimStart().startsWith('-----BEGIN ');
}

/** DER of every block with one of `labels` (e.g. certificates out of a chain file). */
export function pemBlocksOf(text: string, ...labels: string[]): Uint8Array[] {
  return readPemBlocks(text)
    .filter((block) => labels.includes(block.label))
    .map((block) => block.der);
}
