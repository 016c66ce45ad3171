import { expect } from 'chai';
import { constants, createHash, generateKeyPairSync, privateEncrypt, verify, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import { concatBytes, encodeTlv } from '../../../shared/tlv/index.js';
import {
  CardProtocolError,
  ecdsaDerToJose,
  joseToEcdsaDer,
  KeyNotFoundError,
  pkcs1v15SignatureBlock,
  PivClient,
  SecurityStatusNotSatisfiedError,
} from '../../../shared/piv/index.js';
import type { CardChannel } from '../../../shared/card/card-channel.js';

const sha256 = (text: string) => new Uint8Array(createHash('sha256').update(text).digest());

/** A card that does what a PIV card does on GA: raw RSA on the block, ECDSA on the hash (digest G8). */
function signingCard(sign: (input: Uint8Array) => Uint8Array): { channel: CardChannel; inputs: Uint8Array[]; apdus: string[] } {
  const inputs: Uint8Array[] = [];
  const apdus: string[] = [];
  let chained: Uint8Array = new Uint8Array(0);
  const channel: CardChannel = {
    async transmit(apdu) {
      apdus.push(toHex(apdu));
      if (apdu[1] === 0xc0) return pending.shift() ?? fromHex('6985');
      const lc = apdu[4]!;
      chained = concatBytes(chained, apdu.subarray(5, 5 + lc));
      if ((apdu[0]! & 0x10) !== 0) return fromHex('9000');
      const template = chained;
      chained = new Uint8Array(0);
      // 7C L { 82 00, 81 L data } with 1-3 byte lengths.
      const at81 = template.indexOf(0x81, 4);
      let at = at81 + 1;
      let len = template[at]!;
      if (len === 0x81) len = template[++at]!;
      else if (len === 0x82) len = (template[++at]! << 8) | template[++at]!;
      const input = template.subarray(at + 1, at + 1 + len);
      inputs.push(input);
      const answer = concatBytes(encodeTlv(0x7c, encodeTlv(0x82, sign(input))), fromHex('9000'));
      if (answer.length <= 258) return answer;
      const body = answer.subarray(0, answer.length - 2);
      pending.push(concatBytes(body.subarray(256), fromHex('9000')));
      return concatBytes(body.subarray(0, 256), fromHex(`61${(body.length - 256).toString(16).padStart(2, '0')}`));
    },
  };
  const pending: Uint8Array[] = [];
  return { channel, inputs, apdus };
}

describe('PIV signing', () => {
  describe('RSA-2048 (host builds the PKCS#1 v1.5 DigestInfo block)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rawRsa = (block: Uint8Array) => new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, block));

    it('builds 00 01 FF.. 00 DigestInfo(sha256) of 256 bytes', () => {
      const digest = sha256('hello');
      const block = pkcs1v15SignatureBlock(digest, 256);
      expect(block.length).to.equal(256);
      expect(toHex(block.subarray(0, 2))).to.equal('0001');
      expect(block.subarray(2, 256 - 52).every((b) => b === 0xff)).to.equal(true);
      expect(toHex(block.subarray(256 - 52))).to.equal('003031300D060960864801650304020105000420' + toHex(digest));
    });

    it('produces a signature that node:crypto verifies as RSASSA-PKCS1-v1_5 SHA-256', async () => {
      const card = signingCard(rawRsa);
      const data = Buffer.from('to be signed: nonce, reader, purpose');
      const signature = await new PivClient(card.channel).signDigest(0x9a, 'RSA2048', sha256(data.toString()));
      expect(signature.length).to.equal(256);
      expect(verify('sha256', data, publicKey, signature)).to.equal(true);
      // The 7C template of 260+ bytes went out in a chain: CLA 10 first, then CLA 00 with algorithm 07, key 9A.
      expect(card.apdus[0]!.slice(0, 10)).to.equal('1087079AFF');
      expect(card.apdus[1]!.slice(0, 8)).to.equal('0087079A');
    });

    it('left-pads a short raw result to the modulus length', async () => {
      const card = signingCard(() => fromHex('0102'));
      const signature = await new PivClient(card.channel).signDigest(0x9a, 'RSA2048', sha256('x'));
      expect(signature.length).to.equal(256);
      expect(toHex(signature.subarray(254))).to.equal('0102');
      expect(signature.subarray(0, 254).every((b) => b === 0)).to.equal(true);
    });

    it('rejects a digest that is not SHA-256 sized', async () => {
      const card = signingCard(rawRsa);
      const err = await new PivClient(card.channel).signDigest(0x9a, 'RSA2048', new Uint8Array(20)).catch((e) => e);
      expect(err).to.be.instanceOf(RangeError);
      expect(card.apdus).to.deep.equal([]);
    });
  });

  describe('ECDSA P-256 (the card signs the hash)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const d = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    const ecdsa = (hash: Uint8Array) => p256.sign(hash, d, { prehash: false, format: 'der' });

    it('sends the hash with algorithm 11 and returns DER that node:crypto verifies', async () => {
      const card = signingCard(ecdsa);
      const data = Buffer.from('door.open at main entrance');
      const digest = sha256(data.toString());
      const signature = await new PivClient(card.channel).signDigest(0x9e, 'P256', digest);
      expect(toHex(card.inputs[0]!)).to.equal(toHex(digest));
      expect(card.apdus[0]).to.match(/^0087119E267C24820081 ?20/);
      expect(signature[0]).to.equal(0x30);
      expect(verify('sha256', data, publicKey, signature)).to.equal(true);
      const jose = ecdsaDerToJose(signature);
      expect(jose.length).to.equal(64);
      expect(verify('sha256', data, { key: publicKey as KeyObject, dsaEncoding: 'ieee-p1363' }, jose)).to.equal(true);
      expect(toHex(joseToEcdsaDer(jose))).to.equal(toHex(signature));
    });

    it('verifies the PIN right before the signature when given one (9C PIN-always)', async () => {
      const card = signingCard(ecdsa);
      const inner = card.channel;
      const verifyThenSign: CardChannel = {
        transmit: async (a) => (a[1] === 0x20 ? (card.apdus.push(toHex(a)), fromHex('9000')) : inner.transmit(a)),
      };
      await new PivClient(verifyThenSign).signDigest(0x9c, 'P256', sha256('x'), { pin: '123456' });
      expect(card.apdus[0]).to.equal('0020008008313233343536FFFF');
      expect(card.apdus[1]!.slice(0, 8)).to.equal('0087119C');
    });

    it('rejects malformed DER in the JOSE conversion', () => {
      expect(() => ecdsaDerToJose(fromHex('3006020101020101FF'))).to.throw(CardProtocolError);
      expect(() => ecdsaDerToJose(fromHex('310602010102010101'))).to.throw(CardProtocolError);
    });
  });

  it('6982 (PIN not verified) and 6A88 (empty slot) come back typed', async () => {
    const answers = ['6982', '6A88'];
    const channel: CardChannel = { transmit: async () => fromHex(answers.shift()!) };
    const client = new PivClient(channel);
    expect(await client.signDigest(0x9a, 'P256', sha256('x')).catch((e) => e)).to.be.instanceOf(SecurityStatusNotSatisfiedError);
    expect(await client.signDigest(0x9d, 'P256', sha256('x')).catch((e) => e)).to.be.instanceOf(KeyNotFoundError);
  });
});
