import { expect } from 'chai';
import { createHash, verify } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import { LoadedKeyPair } from '../../../card-applets-sim/piv/key-pair.js';
import { apdu, PIN_123456, selectedCard, SW_HEX, testKey, type Harness } from './support/card-harness.js';
import { ecPublicKey, pkcs1Sha256Block, rsaPublicKey } from './support/crypto-checks.js';

const MESSAGE = new TextEncoder().encode('tap at door 7');
const HASH = toHex(createHash('sha256').update(MESSAGE).digest());

function cardWithKeys(): Harness {
  return selectedCard((s) => {
    for (const slot of ['9A', '9D']) s.keys[slot] = testKey('rsa2048');
    for (const slot of ['9C', '9E', '82']) s.keys[slot] = testKey('p256');
  });
}

/** `7C { 82 00, 81 L data }` as OpenSC and ykpiv send it, chained in 255-byte blocks when long. */
function signRequest(h: Harness, alg: string, slot: string, dataHex: string): { data: string; sw: number } {
  const n = dataHex.length / 2;
  const len81 = n < 128 ? n.toString(16).padStart(2, '0') : `82${n.toString(16).padStart(4, '0')}`;
  const inner = `8200${'81'}${len81}${dataHex}`;
  const innerLen = inner.length / 2;
  const len7c = innerLen < 128 ? innerLen.toString(16).padStart(2, '0') : `82${innerLen.toString(16).padStart(4, '0')}`;
  const body = fromHex(`7C${len7c}${inner}`);
  let reply = { data: '', sw: 0 };
  for (let at = 0; at < body.length; at += 255) {
    const part = body.subarray(at, at + 255);
    const cla = at + 255 < body.length ? '10' : '00';
    reply = h.tx(`${cla}87${alg}${slot}${part.length.toString(16).padStart(2, '0')}${toHex(part)}`);
  }
  let data = reply.data;
  while ((reply.sw & 0xff00) === 0x6100) {
    reply = h.tx('00C0000000');
    data += reply.data;
  }
  return { data, sw: reply.sw };
}

describe('PIV GENERAL AUTHENTICATE: private-key operations (Part 2 §3.2.4)', () => {
  const rsaKey = (): LoadedKeyPair => new LoadedKeyPair(testKey('rsa2048'));
  const ecKey = (): LoadedKeyPair => new LoadedKeyPair(testKey('p256'));

  it('signs a host-padded PKCS#1 block with 9A after VERIFY (raw RSA), verifiable with the public key', () => {
    const h = cardWithKeys();
    h.tx(`0020008008${PIN_123456}`);
    const reply = signRequest(h, '07', '9A', pkcs1Sha256Block(MESSAGE));
    expect(reply.sw).to.equal(0x9000);
    expect(reply.data.slice(0, 14)).to.equal('7C820104828201');
    const signature = fromHex(reply.data.slice(16));
    expect(signature.length).to.equal(256);
    expect(verify('sha256', MESSAGE, rsaPublicKey(toHex(rsaKey().publicKey)), signature)).to.equal(true);
  });

  it('splits the 264-byte answer into 256 bytes + 6108, then 8 bytes (pkcs11-tool trace)', () => {
    const h = cardWithKeys();
    h.tx(`0020008008${PIN_123456}`);
    const block = fromHex(`7C820106820081820100${pkcs1Sha256Block(MESSAGE)}`);
    expect(h.tx(`1087079AFF${toHex(block.subarray(0, 255))}`).sw).to.equal(0x9000);
    const first = h.tx(`0087079A0B${toHex(block.subarray(255))}00`);
    expect(first.data.length / 2).to.equal(256);
    expect(SW_HEX(first.sw)).to.equal('6108');
    const last = h.tx('00C0000008');
    expect(last.data.length / 2).to.equal(8);
    expect(last.sw).to.equal(0x9000);
  });

  it('signs a hash with ECDSA in 9E without any PIN, as DER SEQUENCE{r,s}', () => {
    const h = cardWithKeys();
    const reply = h.tx(apdu('0087119E', `7C24820081 20${HASH}`.replace(/ /g, '')));
    expect(reply.sw).to.equal(0x9000);
    expect(reply.data.slice(0, 2)).to.equal('7C');
    const der = fromHex(reply.data).subarray(4);
    expect(der[0]).to.equal(0x30);
    expect(p256.verify(der, fromHex(HASH), ecKey().publicKey, { prehash: false, format: 'der' })).to.equal(true);
    expect(verify('sha256', MESSAGE, ecPublicKey(toHex(ecKey().publicKey)), der)).to.equal(true);
  });

  it('truncates a hash longer than the field to its left-most 32 bytes', () => {
    const h = cardWithKeys();
    const long = HASH + 'AA'.repeat(16);
    const reply = h.tx(apdu('0087119E', `7C34820081 30${long}`.replace(/ /g, '')));
    expect(reply.sw).to.equal(0x9000);
    expect(p256.verify(fromHex(reply.data).subarray(4), fromHex(HASH), ecKey().publicKey, { prehash: false, format: 'der' })).to.equal(true);
  });

  it('requires the PIN for 9A, 9D and retired slots (6982)', () => {
    const h = cardWithKeys();
    expect(signRequest(h, '07', '9A', pkcs1Sha256Block(MESSAGE)).sw).to.equal(0x6982);
    expect(signRequest(h, '07', '9D', pkcs1Sha256Block(MESSAGE)).sw).to.equal(0x6982);
    expect(signRequest(h, '11', '82', HASH).sw).to.equal(0x6982);
    h.tx(`0020008008${PIN_123456}`);
    expect(signRequest(h, '11', '82', HASH).sw).to.equal(0x9000);
  });

  it('9C needs a VERIFY immediately before each GENERAL AUTHENTICATE (PIN always)', () => {
    const h = cardWithKeys();
    expect(signRequest(h, '11', '9C', HASH).sw).to.equal(0x6982);
    h.tx(`0020008008${PIN_123456}`);
    expect(signRequest(h, '11', '9C', HASH).sw).to.equal(0x9000);
    expect(signRequest(h, '11', '9C', HASH).sw).to.equal(0x6982); // second use
    h.tx(`0020008008${PIN_123456}`);
    h.tx('00CB3FFF035C017E00'); // anything in between spends the grant
    expect(signRequest(h, '11', '9C', HASH).sw).to.equal(0x6982);
    h.tx('00200080'); // a status query is no VERIFY
    expect(signRequest(h, '11', '9C', HASH).sw).to.equal(0x6982);
  });

  it('derives an ECDH shared secret (85) and returns the X coordinate', () => {
    const h = cardWithKeys();
    const peer = p256.utils.randomSecretKey();
    const peerPoint = toHex(p256.getPublicKey(peer, false));
    const reply = h.tx(apdu('0087119E', `7C458200 8541${peerPoint}`.replace(/ /g, '')));
    expect(reply.sw).to.equal(0x9000);
    const expected = toHex(p256.getSharedSecret(peer, ecKey().publicKey, true).subarray(1));
    expect(reply.data).to.equal(`7C228220${expected}`);
  });

  it('decrypts with 9D (raw RSA)', () => {
    const h = cardWithKeys();
    h.tx(`0020008008${PIN_123456}`);
    const reply = signRequest(h, '07', '9D', pkcs1Sha256Block(MESSAGE));
    expect(reply.sw).to.equal(0x9000);
  });

  it('answers 6A80 for m >= n, a wrong block length, a wrong algorithm or a bad point', () => {
    const h = cardWithKeys();
    h.tx(`0020008008${PIN_123456}`);
    expect(signRequest(h, '07', '9A', 'FF'.repeat(256)).sw).to.equal(0x6a80);
    expect(signRequest(h, '07', '9A', toHex(rsaKey().publicKey)).sw).to.equal(0x6a80); // m = n
    expect(signRequest(h, '07', '9A', '00'.repeat(128)).sw).to.equal(0x6a80);
    expect(signRequest(h, '11', '9A', HASH).sw).to.equal(0x6a80); // P-256 alg on an RSA key
    expect(signRequest(h, '07', '9E', pkcs1Sha256Block(MESSAGE)).sw).to.equal(0x6a80);
    expect(h.tx(apdu('0087119E', `7C45820085 41 04${'00'.repeat(64)}`.replace(/ /g, ''))).sw).to.equal(0x6a80);
    expect(h.tx(apdu('0087119E', `7C238200 8520${'00'.repeat(32)}`.replace(/ /g, ''))).sw).to.equal(0x6a80);
    expect(h.tx(apdu('0087079A', `7C458200 8541 04${'00'.repeat(64)}`.replace(/ /g, ''))).sw).to.equal(0x6a80); // ECDH on RSA
    expect(h.tx(apdu('0087119E', '7C028200')).sw).to.equal(0x6a80); // nothing to sign
    expect(h.tx(apdu('0087119E', '7C04820081 00'.replace(/ /g, ''))).sw).to.equal(0x6a80); // empty hash
    expect(h.tx(apdu('0087119E', '7C0482008100FF')).sw).to.equal(0x6a80); // trailing byte
    expect(h.tx(apdu('0087119E', '7D028200')).sw).to.equal(0x6a80); // not 7C
    expect(h.tx(apdu('0087119E', '7C03990100')).sw).to.equal(0x6a80); // unknown inner tag
    expect(h.tx('0087119E').sw).to.equal(0x6a80);
  });

  it('answers 6A88 for an empty slot and 6A86 for a key reference that is no key', () => {
    const h = selectedCard();
    h.tx(`0020008008${PIN_123456}`);
    expect(signRequest(h, '11', '9E', HASH).sw).to.equal(0x6a88);
    expect(signRequest(h, '11', '9A', HASH).sw).to.equal(0x6a88);
    expect(signRequest(h, '11', '80', HASH).sw).to.equal(0x6a86);
    expect(signRequest(h, '11', '01', HASH).sw).to.equal(0x6a86);
  });

  it('keeps private keys inside: no command returns PKCS#8 or the private scalar', () => {
    const h = cardWithKeys();
    const secret = toHex(Buffer.from(testKey('p256').pkcs8, 'base64'));
    const scalar = secret.slice(-64);
    for (let ins = 0; ins < 256; ins++) {
      const reply = h.tx(`00${ins.toString(16).padStart(2, '0')}000000`);
      expect(reply.data.includes(scalar)).to.equal(false);
    }
  });
});
