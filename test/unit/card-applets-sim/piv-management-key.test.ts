import { expect } from 'chai';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import { encryptBlock } from '../../../card-applets-sim/piv/management-key.js';
import { apdu, authenticateMgmt, DEFAULT_MGMT_KEY, decryptBlock, selectedCard } from './support/card-harness.js';

const AES_KEY = '000102030405060708090A0B0C0D0E0F';

describe('PIV GENERAL AUTHENTICATE with the card management key 9B (Part 2 Appendix A)', () => {
  it('returns the encrypted witness as 7C 0A 80 08 (libykpiv reads at offset 4)', () => {
    const reply = selectedCard().tx('0087039B047C028000');
    expect(reply.sw).to.equal(0x9000);
    expect(reply.data.slice(0, 8)).to.equal('7C0A8008');
    expect(reply.data.length / 2).to.equal(12);
  });

  it('completes mutual authentication with the default 3DES key (P1 03 and 00)', () => {
    expect(authenticateMgmt(selectedCard(), DEFAULT_MGMT_KEY, 0x03).sw).to.equal(0x9000);
    expect(authenticateMgmt(selectedCard(), DEFAULT_MGMT_KEY, 0x00).sw).to.equal(0x9000);
  });

  it('refuses a wrong witness with 6982 and the witness cannot be retried', () => {
    const h = selectedCard();
    const step1 = h.tx('0087039B047C028000');
    const witness = decryptBlock('3des', fromHex(DEFAULT_MGMT_KEY), fromHex(step1.data).subarray(4));
    witness[0]! ^= 1;
    expect(h.tx(apdu('0087039B', `7C148008${toHex(witness)}81084242424242424242`)).sw).to.equal(0x6982);
    witness[0]! ^= 1;
    expect(h.tx(apdu('0087039B', `7C148008${toHex(witness)}81084242424242424242`)).sw).to.equal(0x6982);
    expect(h.tx(apdu('00DB3FFF', '5C035FC1055300')).sw).to.equal(0x6982);
  });

  it('refuses a witness response without a preceding witness request', () => {
    expect(selectedCard().tx(apdu('0087039B', '7C148008000000000000000081084242424242424242')).sw).to.equal(0x6982);
  });

  it('authenticates a key the other side does not know: wrong key fails', () => {
    expect(authenticateMgmt(selectedCard(), '0102030405060708010203040506070801020304050607FF', 0x03).sw).to.equal(0x6982);
  });

  it('serves challenges as OpenSC get_challenge expects (7C 0A 81 08) and accepts the encrypted challenge', () => {
    const h = selectedCard();
    const a = h.tx('0087009B047C028100');
    const b = h.tx('0087009B047C028100');
    expect(a.data.slice(0, 8)).to.equal('7C0A8108');
    expect(a.data).to.not.equal(b.data);
    const challenge = fromHex(b.data).subarray(4);
    const response = encryptBlock('3des', fromHex(DEFAULT_MGMT_KEY), challenge);
    expect(h.tx(apdu('0087009B', `7C0A8208${toHex(response)}`)).sw).to.equal(0x9000);
    expect(h.tx(apdu('00DB3FFF', '5C035FC1055300')).sw).to.equal(0x9000);
  });

  it('refuses a wrong external-authentication response with 6982', () => {
    const h = selectedCard();
    h.tx('0087009B047C028100');
    expect(h.tx(apdu('0087009B', '7C0A82080000000000000000')).sw).to.equal(0x6982);
  });

  it('answers 6A80 for an algorithm that is not the key\'s, or an odd template', () => {
    const h = selectedCard();
    expect(h.tx('0087089B047C028000').sw).to.equal(0x6a80);
    expect(h.tx('0087119B047C028000').sw).to.equal(0x6a80);
    expect(h.tx('0087039B067C0280008100').sw).to.equal(0x6a80);
    expect(h.tx('0087039B047C028500').sw).to.equal(0x6a80);
  });

  it('loses management authentication on reset', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    h.card.reset();
    h.tx('00A4040005A000000308');
    expect(h.tx(apdu('00DB3FFF', '5C035FC1055300')).sw).to.equal(0x6982);
  });

  describe('YubiKey SET MANAGEMENT KEY (FF)', () => {
    it('sets a new 3DES key, which then authenticates while the old one does not', () => {
      const h = selectedCard();
      authenticateMgmt(h);
      const newKey = '1122334455667788112233445566778811223344556677AA';
      expect(h.tx(`00FFFFFF1B039B18${newKey}`).sw).to.equal(0x9000);
      expect(h.store.state.managementKey).to.deep.equal({ alg: '3des', key: newKey });
      h.card.reset();
      h.tx('00A4040005A000000308');
      expect(authenticateMgmt(h).sw).to.equal(0x6982);
      expect(authenticateMgmt(h, newKey).sw).to.equal(0x9000);
    });

    it('switches to AES-128 (alg 08), after which 3DES authentication is refused', () => {
      const h = selectedCard();
      authenticateMgmt(h);
      expect(h.tx(`00FFFFFE13089B10${AES_KEY}`).sw).to.equal(0x9000);
      expect(h.tx('0087039B047C028000').sw).to.equal(0x6a80);
      const step1 = h.tx('0087089B047C028000');
      expect(step1.data.slice(0, 8)).to.equal('7C128010');
      expect(authenticateMgmt(h, AES_KEY, 0x08, 'aes128').sw).to.equal(0x9000);
    });

    it('needs management key authentication (6982)', () => {
      expect(selectedCard().tx(`00FFFFFF1B039B18${DEFAULT_MGMT_KEY}`).sw).to.equal(0x6982);
    });

    it('answers 6A86 for P1/P2 and 6A80 for a malformed key', () => {
      const h = selectedCard();
      authenticateMgmt(h);
      expect(h.tx(`00FF00FF1B039B18${DEFAULT_MGMT_KEY}`).sw).to.equal(0x6a86);
      expect(h.tx(`00FFFF001B039B18${DEFAULT_MGMT_KEY}`).sw).to.equal(0x6a86);
      expect(h.tx(`00FFFFFF1B039A18${DEFAULT_MGMT_KEY}`).sw).to.equal(0x6a80);
      expect(h.tx(`00FFFFFF13039B10${AES_KEY}`).sw).to.equal(0x6a80);
      expect(h.tx(`00FFFFFF1B119B18${DEFAULT_MGMT_KEY}`).sw).to.equal(0x6a80);
      expect(h.tx(`00FFFFFF1B039B17${DEFAULT_MGMT_KEY}`).sw).to.equal(0x6a80);
      expect(h.tx('00FFFFFF').sw).to.equal(0x6a80);
    });
  });
});
