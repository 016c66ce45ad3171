import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import {
  blockCipher,
  DEFAULT_MANAGEMENT_KEY,
  ManagementAuthMismatchError,
  ManagementKeyRejectedError,
  PivClient,
  type ManagementKeyAlgorithm,
} from '../../../shared/piv/index.js';
import type { CardChannel } from '../../../shared/card/card-channel.js';

/**
 * The card side of 9B mutual authentication (digest §5), with knobs to misbehave:
 * step 1 returns E_K(W); step 2 checks W and returns E_K(C).
 */
function managementKeyCard(cardKey: Uint8Array, algorithm: ManagementKeyAlgorithm, options: { lie?: boolean } = {}) {
  const block = algorithm === '3DES' ? 8 : 16;
  let witness: Uint8Array | undefined;
  const sent: string[] = [];
  const channel: CardChannel = {
    async transmit(apdu) {
      sent.push(toHex(apdu));
      const body = apdu.subarray(5, 5 + apdu[4]!);
      if (apdu[1] !== 0x87 || apdu[3] !== 0x9b) return fromHex('6D00');
      if (toHex(body) === '7C028000') {
        witness = new Uint8Array(randomBytes(block));
        const encrypted = blockCipher('encrypt', algorithm, cardKey, witness);
        return fromHex(`7C${(block + 2).toString(16).padStart(2, '0')}80${block.toString(16).padStart(2, '0')}${toHex(encrypted)}9000`);
      }
      const returned = body.subarray(4, 4 + block);
      const challenge = body.subarray(6 + block, 6 + 2 * block);
      if (witness === undefined || toHex(returned) !== toHex(witness)) return fromHex('6982');
      const answer = blockCipher('encrypt', algorithm, cardKey, challenge);
      if (options.lie) answer[0]! ^= 1;
      return fromHex(`7C${(block + 2).toString(16).padStart(2, '0')}82${block.toString(16).padStart(2, '0')}${toHex(answer)}9000`);
    },
  };
  return { channel, sent };
}

describe('PIV management key (9B) mutual authentication', () => {
  it('authenticates with the factory 3DES key in the exact ykpiv layout', async () => {
    const card = managementKeyCard(DEFAULT_MANAGEMENT_KEY, '3DES');
    await new PivClient(card.channel).authenticateManagementKey();
    expect(card.sent[0]).to.equal('0087039B047C02800000');
    expect(card.sent[1]).to.match(/^0087039B167C148008[0-9A-F]{16}8108[0-9A-F]{16}00$/);
  });

  it('authenticates with AES-128 (algorithm 08, 16-byte blocks)', async () => {
    const key = new Uint8Array(randomBytes(16));
    const card = managementKeyCard(key, 'AES128');
    await new PivClient(card.channel).authenticateManagementKey(key, 'AES128');
    expect(card.sent[0]).to.equal('0087089B047C02800000');
    expect(card.sent[1]).to.match(/^0087089B267C248010[0-9A-F]{32}8110[0-9A-F]{32}00$/);
  });

  it('a key the card does not hold is ManagementKeyRejectedError (6982 on step 2)', async () => {
    const card = managementKeyCard(DEFAULT_MANAGEMENT_KEY, '3DES');
    const err = await new PivClient(card.channel).authenticateManagementKey(new Uint8Array(24).fill(7)).catch((e) => e);
    expect(err).to.be.instanceOf(ManagementKeyRejectedError);
    expect(err.sw).to.equal(0x6982);
  });

  it('a card whose answer to our challenge is wrong fails the mutual check', async () => {
    const card = managementKeyCard(DEFAULT_MANAGEMENT_KEY, '3DES', { lie: true });
    const err = await new PivClient(card.channel).authenticateManagementKey().catch((e) => e);
    expect(err).to.be.instanceOf(ManagementAuthMismatchError).with.property('code', 'ERR_CARD_MGMT_AUTH_MISMATCH');
  });

  it('refuses a key of the wrong length for its algorithm before sending', async () => {
    const card = managementKeyCard(DEFAULT_MANAGEMENT_KEY, '3DES');
    const err = await new PivClient(card.channel).authenticateManagementKey(new Uint8Array(16), '3DES').catch((e) => e);
    expect(err).to.be.instanceOf(RangeError);
    expect(card.sent).to.deep.equal([]);
  });

  it('setManagementKey sends 00 FF FF FF 1B 03 9B 18 <key> (FE when touch is required)', async () => {
    const sent: string[] = [];
    const channel: CardChannel = { transmit: async (a) => (sent.push(toHex(a)), fromHex('9000')) };
    const key = fromHex('0102030405060708090A0B0C0D0E0F101112131415161718');
    const client = new PivClient(channel);
    await client.setManagementKey(key);
    await client.setManagementKey(fromHex('00112233445566778899AABBCCDDEEFF'), 'AES128', { requireTouch: true });
    expect(sent).to.deep.equal([
      '00FFFFFF1B039B180102030405060708090A0B0C0D0E0F101112131415161718',
      '00FFFFFE13089B1000112233445566778899AABBCCDDEEFF',
    ]);
  });
});
