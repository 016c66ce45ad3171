import type { CardChannel } from '../card/card-channel.js';
import type { ManagementKeyAlgorithm, PivKeyAlgorithm } from './algorithms.js';
import { DEFAULT_MANAGEMENT_KEY } from './algorithms.js';
import { deleteCertificate, readCertificate, writeCertificate } from './certificate.js';
import { readChuid, writeChuid, type Chuid } from './chuid.js';
import type { PivSlot } from './constants.js';
import { getData, putData } from './data-objects.js';
import { generateKeyPair, type GenerateOptions, type GeneratedKey } from './generate.js';
import { authenticateManagementKey, setManagementKey } from './management-key.js';
import { changePin, changePuk, pinStatus, resetPinStatus, unblockPin, verifyPin, type PinStatus } from './pin.js';
import { selectPiv, type PivApplicationInfo } from './select.js';
import { signDigest } from './sign.js';

/**
 * A PIV card seen from the host (SP 800-73-4 Part 2). One client per card session. Calls are
 * serialised: a GET RESPONSE or a chained command never interleaves with another caller's APDU,
 * and a 9C signature follows its VERIFY with nothing in between (PIN-always, digest §4).
 */
export class PivClient {
  readonly #channel: CardChannel;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(channel: CardChannel) {
    this.#channel = channel;
  }

  /** SELECT the PIV application; call once per session (re-selecting keeps the security status). */
  select(): Promise<PivApplicationInfo> {
    return this.#run((c) => selectPiv(c));
  }

  /** The DER certificate in `slot` (gzip CertInfo is inflated); NotFoundError if there is none. */
  readCertificate(slot: PivSlot): Promise<Uint8Array> {
    return this.#run((c) => readCertificate(c, slot));
  }

  writeCertificate(slot: PivSlot, der: Uint8Array, options?: { compress?: boolean }): Promise<void> {
    return this.#run((c) => writeCertificate(c, slot, der, options));
  }

  deleteCertificate(slot: PivSlot): Promise<void> {
    return this.#run((c) => deleteCertificate(c, slot));
  }

  readChuid(): Promise<Chuid> {
    return this.#run((c) => readChuid(c));
  }

  writeChuid(chuid: Chuid): Promise<void> {
    return this.#run((c) => writeChuid(c, chuid));
  }

  /** The value inside a data object's 53 TLV, for objects this class has no method for. */
  getData(tag: number): Promise<Uint8Array> {
    return this.#run((c) => getData(c, tag));
  }

  putData(tag: number, value: Uint8Array): Promise<void> {
    return this.#run((c) => putData(c, tag, value));
  }

  verifyPin(pin: string): Promise<void> {
    return this.#run((c) => verifyPin(c, pin));
  }

  /** Verified or not, and tries left, without spending a try. */
  pinStatus(): Promise<PinStatus> {
    return this.#run((c) => pinStatus(c));
  }

  /** Drop the PIN's verified state (VERIFY P1=FF). */
  resetPinStatus(): Promise<void> {
    return this.#run((c) => resetPinStatus(c));
  }

  changePin(oldPin: string, newPin: string): Promise<void> {
    return this.#run((c) => changePin(c, oldPin, newPin));
  }

  changePuk(oldPuk: string, newPuk: string): Promise<void> {
    return this.#run((c) => changePuk(c, oldPuk, newPuk));
  }

  unblockPin(puk: string, newPin: string): Promise<void> {
    return this.#run((c) => unblockPin(c, puk, newPin));
  }

  /** Mutual authentication with the 9B key; defaults to the factory 3DES key. */
  authenticateManagementKey(key: Uint8Array = DEFAULT_MANAGEMENT_KEY, algorithm: ManagementKeyAlgorithm = '3DES'): Promise<void> {
    return this.#run((c) => authenticateManagementKey(c, key, algorithm));
  }

  setManagementKey(key: Uint8Array, algorithm: ManagementKeyAlgorithm = '3DES', options?: { requireTouch?: boolean }): Promise<void> {
    return this.#run((c) => setManagementKey(c, key, algorithm, options));
  }

  generateKeyPair(slot: PivSlot, algorithm: PivKeyAlgorithm, options?: GenerateOptions): Promise<GeneratedKey> {
    return this.#run((c) => generateKeyPair(c, slot, algorithm, options));
  }

  /**
   * Sign a SHA-256 digest with the key in `slot`. With `pin`, VERIFY runs right before the
   * signature inside the same serialised step, which slot 9C requires for every signature.
   * RSA returns the PKCS#1 v1.5 signature; ECDSA returns DER as the card gives it.
   */
  signDigest(slot: PivSlot, algorithm: PivKeyAlgorithm, digest: Uint8Array, options: { pin?: string } = {}): Promise<Uint8Array> {
    return this.#run(async (c) => {
      if (options.pin !== undefined) await verifyPin(c, options.pin);
      return signDigest(c, slot, algorithm, digest);
    });
  }

  #run<T>(operation: (channel: CardChannel) => Promise<T>): Promise<T> {
    const result = this.#tail.then(() => operation(this.#channel));
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
