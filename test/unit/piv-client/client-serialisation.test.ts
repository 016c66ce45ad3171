import { expect } from 'chai';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import { encodeTlv } from '../../../shared/tlv/index.js';
import { encodeCertificateContainer, PivClient } from '../../../shared/piv/index.js';
import type { CardChannel } from '../../../shared/card/card-channel.js';

/**
 * A card that answers every GET DATA with a 400-byte object in two parts and fails any command
 * that arrives while a response is pending, as a card discards it (digest §5).
 */
function slowCard(): { channel: CardChannel; log: string[] } {
  const log: string[] = [];
  let pending: Uint8Array | undefined;
  const channel: CardChannel = {
    async transmit(apdu) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.push(toHex(apdu.subarray(0, 2)));
      if (apdu[1] === 0xc0) {
        const rest = pending;
        pending = undefined;
        return rest ? Uint8Array.from([...rest, 0x90, 0x00]) : fromHex('6985');
      }
      if (pending !== undefined) return fromHex('6F00');
      const object = encodeTlv(0x53, encodeCertificateContainer(new Uint8Array(400).fill(apdu[9]!), false));
      pending = object.subarray(256);
      return Uint8Array.from([...object.subarray(0, 256), 0x61, object.length - 256]);
    },
  };
  return { channel, log };
}

describe('PivClient serialises its callers', () => {
  it('concurrent reads never put a command between a GET DATA and its GET RESPONSE', async () => {
    const { channel, log } = slowCard();
    const piv = new PivClient(channel);
    const [a, c, e] = await Promise.all([piv.readCertificate(0x9a), piv.readCertificate(0x9c), piv.readCertificate(0x9e)]);
    expect([a[0], c[0], e[0]]).to.deep.equal([0x05, 0x0a, 0x01]);
    expect(log).to.deep.equal(['00CB', '00C0', '00CB', '00C0', '00CB', '00C0']);
  });

  it('a failed operation does not stop the ones queued behind it', async () => {
    let calls = 0;
    const channel: CardChannel = { transmit: async () => (++calls === 1 ? fromHex('6A82') : fromHex('63C3')) };
    const piv = new PivClient(channel);
    const [first, second] = await Promise.allSettled([piv.readChuid(), piv.pinStatus()]);
    expect(first.status).to.equal('rejected');
    expect(second).to.deep.equal({ status: 'fulfilled', value: { verified: false, triesLeft: 3, blocked: false } });
  });
});
