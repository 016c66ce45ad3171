import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import type { CardChannel } from '../../../shared/card/card-channel.js';
import { PivClient, PivSlot } from '../../../shared/piv/index.js';
import { algorithmOfCertificate } from '../card-tap.js';
import type { PinSource } from '../pin-source.js';

/** Domain tag of the controller's own offline challenge, so a signature made here is good for nothing else. */
const OFFLINE_DOMAIN = 'tessera-door-offline/1';

export type LocalCardCheck =
  | { readonly ok: true; readonly fingerprint: string; readonly slot: '9A' | '9E' }
  | { readonly ok: false; readonly reason: 'card_not_authenticated' };

/**
 * The same challenge-response the platform runs, done by the controller itself while the
 * platform is unreachable: a fresh random challenge, signed by the card's key in the slot the
 * door needs (9A after the PIN, else 9E), checked against the certificate read from the card.
 * The allow-list then says whether that certificate (by its SHA-256) belongs to a cardholder.
 */
export async function checkCardLocally(channel: CardChannel, options: { slot: '9A' | '9E'; readerId: string; pins: PinSource; signal: AbortSignal }): Promise<LocalCardCheck> {
  const piv = new PivClient(channel);
  await piv.select();
  const slot = options.slot === '9A' ? PivSlot.Authentication : PivSlot.CardAuthentication;
  const certificate = await piv.readCertificate(slot);
  const tbs = Buffer.concat([Buffer.from(`${OFFLINE_DOMAIN}\n${options.readerId}\n`), randomBytes(32)]);
  const digest = createHash('sha256').update(tbs).digest();
  const pin = options.slot === '9A' ? await options.pins.pin({ purpose: 'door.open-pin', target: 'offline', signal: options.signal }) : undefined;
  const signature = await piv.signDigest(slot, algorithmOfCertificate(certificate), digest, pin !== undefined ? { pin } : {});
  const publicKey = new X509Certificate(certificate).publicKey;
  if (!verify('sha256', tbs, publicKey, signature)) return { ok: false, reason: 'card_not_authenticated' };
  return { ok: true, fingerprint: createHash('sha256').update(certificate).digest('hex'), slot: options.slot };
}
