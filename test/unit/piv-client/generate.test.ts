import { expect } from 'chai';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import { concatBytes, encodeTlv } from '../../../shared/tlv/index.js';
import { CardProtocolError, PivClient, SecurityStatusNotSatisfiedError } from '../../../shared/piv/index.js';
import type { CardChannel } from '../../../shared/card/card-channel.js';

function replying(...answers: Uint8Array[]): { channel: CardChannel; sent: string[] } {
  const sent: string[] = [];
  return { sent, channel: { transmit: async (a) => (sent.push(toHex(a)), answers.shift() ?? fromHex('6F00')) } };
}

describe('PIV key generation', () => {
  it('P-256: sends AC{80 11} and returns the key from 7F49{86 point}', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = concatBytes(Uint8Array.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url'));
    const card = replying(concatBytes(encodeTlv(0x7f49, encodeTlv(0x86, point)), fromHex('9000')));
    const key = await new PivClient(card.channel).generateKeyPair(0x9e, 'P256');
    expect(card.sent[0]).to.equal('0047009E05AC0380011100');
    expect(key.publicKey.asymmetricKeyType).to.equal('ec');
    expect(toHex(key.spki)).to.equal(toHex(publicKey.export({ type: 'spki', format: 'der' })));
  });

  it('RSA-2048: collects 7F49{81 n, 82 e} through GET RESPONSE', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const template = encodeTlv(0x7f49, concatBytes(encodeTlv(0x81, Buffer.from(jwk.n!, 'base64url')), encodeTlv(0x82, Buffer.from(jwk.e!, 'base64url'))));
    const card = replying(concatBytes(template.subarray(0, 256), fromHex('6111')), concatBytes(template.subarray(256), fromHex('9000')));
    const key = await new PivClient(card.channel).generateKeyPair(0x9a, 'RSA2048', { pinPolicy: 2 });
    expect(card.sent).to.deep.equal(['0047009A08AC06800107AA010200', '00C0000011']);
    expect(createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }).export({ format: 'jwk' })).to.deep.equal(jwk);
  });

  it('a point that is not on the curve is a protocol error', async () => {
    const point = concatBytes(Uint8Array.of(4), new Uint8Array(64).fill(1));
    const card = replying(concatBytes(encodeTlv(0x7f49, encodeTlv(0x86, point)), fromHex('9000')));
    expect(await new PivClient(card.channel).generateKeyPair(0x9a, 'P256').catch((e) => e)).to.be.instanceOf(CardProtocolError);
  });

  it('without management-key authentication the card answers 6982', async () => {
    const card = replying(fromHex('6982'));
    expect(await new PivClient(card.channel).generateKeyPair(0x9a, 'P256').catch((e) => e)).to.be.instanceOf(SecurityStatusNotSatisfiedError);
  });
});
