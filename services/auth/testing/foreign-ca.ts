/**
 * FOR TESTS AND BENCHMARKS ONLY: another organisation's CA (a neighbouring council, a national
 * ID scheme) that issues card certificates and CRLs, built with @peculiar/x509 and WebCrypto.
 */
import { generateKeyPairSync, sign, webcrypto, type KeyObject } from 'node:crypto';
import { OID, randomSerial, x509 } from '../../../shared/x509/index.js';

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface ForeignCard {
  readonly certificates: { readonly '9A': Uint8Array; readonly '9E': Uint8Array };
  readonly serials: { readonly '9A': string; readonly '9E': string };
  sign(slot: '9A' | '9E', tbs: Uint8Array): Buffer;
}

export class ForeignCa {
  private constructor(
    readonly name: string,
    readonly certificate: Uint8Array,
    private readonly keys: webcrypto.CryptoKeyPair,
    private readonly cert: x509.X509Certificate,
  ) {}

  static async create(name: string, options: { notBefore?: Date; notAfter?: Date } = {}): Promise<ForeignCa> {
    const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: `CN=${name} Card CA, O=${name}`,
      notBefore: options.notBefore ?? new Date(Date.now() - 86_400_000),
      notAfter: options.notAfter ?? new Date(Date.now() + 5 * 365 * 86_400_000),
      keys,
      signingAlgorithm: EC,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new ForeignCa(name, new Uint8Array(cert.rawData), keys, cert);
  }

  get pem(): string {
    return this.cert.toString('pem');
  }

  /** A card with 9A (PIN policy `pinPolicy`) and 9E (id-PIV-cardAuth) certificates for software keys. */
  async issueCard(holder: string, options: { pinPolicy?: string; notAfter?: Date } = {}): Promise<ForeignCard> {
    const keys = { '9A': generateKeyPairSync('ec', { namedCurve: 'P-256' }), '9E': generateKeyPairSync('ec', { namedCurve: 'P-256' }) };
    const piv = await this.#leaf(keys['9A'].publicKey, `CN=${holder}, O=${this.name}`, [
      new x509.ExtendedKeyUsageExtension([OID.clientAuth]),
      ...(options.pinPolicy ? [new x509.CertificatePolicyExtension([options.pinPolicy])] : []),
    ], options.notAfter);
    const cak = await this.#leaf(keys['9E'].publicKey, `CN=${holder} card, O=${this.name}`, [new x509.ExtendedKeyUsageExtension([OID.pivCardAuth], true)], options.notAfter);
    return {
      certificates: { '9A': new Uint8Array(piv.rawData), '9E': new Uint8Array(cak.rawData) },
      serials: { '9A': piv.serialNumber, '9E': cak.serialNumber },
      sign: (slot, tbs) => sign('sha256', tbs, keys[slot].privateKey),
    };
  }

  /** A CRL listing `serials`, valid for `hours`. */
  async crl(serials: readonly string[], options: { hours?: number; thisUpdate?: Date } = {}): Promise<Uint8Array> {
    const thisUpdate = options.thisUpdate ?? new Date(Date.now() - 60_000);
    const crl = await x509.X509CrlGenerator.create({
      issuer: this.cert.subjectName,
      thisUpdate,
      nextUpdate: new Date(thisUpdate.getTime() + (options.hours ?? 24) * 3_600_000),
      entries: serials.map((serialNumber) => ({ serialNumber, revocationDate: new Date(thisUpdate.getTime() - 1000), reason: x509.X509CrlReason.keyCompromise })),
      signingKey: this.keys.privateKey,
      signingAlgorithm: EC,
    });
    return new Uint8Array(crl.rawData);
  }

  async #leaf(publicKey: KeyObject, subject: string, extensions: x509.Extension[], notAfter?: Date): Promise<x509.X509Certificate> {
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const cryptoKey = await webcrypto.subtle.importKey('spki', spki, EC, true, ['verify']);
    return x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject,
      issuer: this.cert.subjectName,
      notBefore: new Date(Date.now() - 3_600_000),
      notAfter: notAfter ?? new Date(Date.now() + 2 * 365 * 86_400_000),
      publicKey: cryptoKey,
      signingKey: this.keys.privateKey,
      signingAlgorithm: EC,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), new x509.BasicConstraintsExtension(false, undefined, true), ...extensions],
    });
  }
}
