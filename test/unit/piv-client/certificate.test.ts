import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import { encodeTlv, concatBytes } from '../../../shared/tlv/index.js';
import {
  CardProtocolError,
  decodeCertificateContainer,
  encodeCertificateContainer,
  NotFoundError,
  PivClient,
  PivSlot,
  certificateTagOf,
  parseSlot,
} from '../../../shared/piv/index.js';
import { ScriptedChannel } from './scripted-channel.js';

/** Not a real certificate: the container does not parse its content. */
const FAKE_DER = new Uint8Array(700).map((_, i) => (i * 7) & 0xff);

function chunked(answer: Uint8Array): { expect: string; reply: string }[] {
  const steps = [];
  let rest = answer;
  let expectApdu = '00CB3FFF055C035FC10500';
  while (rest.length > 0) {
    const chunk = rest.subarray(0, 256);
    rest = rest.subarray(chunk.length);
    const sw = rest.length === 0 ? '9000' : `61${(rest.length >= 256 ? 0 : rest.length).toString(16).padStart(2, '0')}`;
    steps.push({ expect: expectApdu, reply: toHex(chunk) + sw });
    expectApdu = `00C00000${sw.slice(2)}`;
  }
  return steps;
}

describe('PIV certificates', () => {
  it('maps slots to their certificate objects', () => {
    expect(certificateTagOf(PivSlot.Authentication)).to.equal(0x5fc105);
    expect(certificateTagOf(PivSlot.Signature)).to.equal(0x5fc10a);
    expect(certificateTagOf(PivSlot.KeyManagement)).to.equal(0x5fc10b);
    expect(certificateTagOf(PivSlot.CardAuthentication)).to.equal(0x5fc101);
    expect(certificateTagOf(0x82)).to.equal(0x5fc10d);
    expect(certificateTagOf(0x95)).to.equal(0x5fc120);
    expect(() => certificateTagOf(0x9b)).to.throw(RangeError);
    expect(parseSlot('9E')).to.equal(0x9e);
    expect(() => parseSlot('9F')).to.throw(RangeError);
  });

  it('reads a certificate through 61xx chaining from 53{70,71,FE}', async () => {
    const answer = encodeTlv(0x53, encodeCertificateContainer(FAKE_DER, false));
    const channel = new ScriptedChannel(chunked(answer));
    const der = await new PivClient(channel).readCertificate(PivSlot.Authentication);
    expect(toHex(der)).to.equal(toHex(FAKE_DER));
    expect(channel.remaining).to.equal(0);
  });

  it('inflates a certificate whose CertInfo says gzip (01)', async () => {
    const container = concatBytes(encodeTlv(0x70, new Uint8Array(gzipSync(FAKE_DER))), fromHex('710101FE00'));
    expect(toHex(decodeCertificateContainer(container, 0x9a))).to.equal(toHex(FAKE_DER));
  });

  it('an empty container (deleted) is NotFoundError', async () => {
    const channel = new ScriptedChannel([{ expect: '00CB3FFF055C035FC10100', reply: '53009000' }]);
    expect(await new PivClient(channel).readCertificate(0x9e).catch((e) => e)).to.be.instanceOf(NotFoundError);
  });

  it('bytes after the 53 object are a protocol error (SP 800-73-4 objects are exact)', async () => {
    const channel = new ScriptedChannel([{ expect: () => true, reply: '5303700100' + '00' + '9000' }]);
    expect(await new PivClient(channel).readCertificate(0x9a).catch((e) => e)).to.be.instanceOf(CardProtocolError);
  });

  it('a gzip flag on data that does not inflate is a protocol error', () => {
    expect(() => decodeCertificateContainer(fromHex('7003010203710101FE00'), 0x9a)).to.throw(CardProtocolError);
  });

  it('writes 5C 5FC105 53{70 cert, 71 00, FE 00} chained in 255-byte blocks', async () => {
    const value = encodeCertificateContainer(FAKE_DER, false);
    const body = concatBytes(fromHex('5C035FC105'), encodeTlv(0x53, value));
    const received: Uint8Array[] = [];
    const blocks = Math.ceil(body.length / 255);
    const steps = Array.from({ length: blocks }, (_, i) => ({
      expect: (apdu: Uint8Array) => {
        received.push(apdu.subarray(5));
        return apdu[0] === (i < blocks - 1 ? 0x10 : 0x00) && apdu[1] === 0xdb;
      },
      reply: '9000',
    }));
    const channel = new ScriptedChannel(steps);
    await new PivClient(channel).writeCertificate(0x9a, FAKE_DER);
    expect(toHex(concatBytes(...received))).to.equal(toHex(body));
    expect(toHex(value.subarray(value.length - 5))).to.equal('710100FE00');
  });

  it('deleteCertificate writes an empty 53', async () => {
    const channel = new ScriptedChannel([{ expect: '00DB3FFF075C035FC10A5300', reply: '9000' }]);
    await new PivClient(channel).deleteCertificate(0x9c);
    expect(channel.remaining).to.equal(0);
  });
});
