import { expect } from 'chai';
import { toHex } from '../../../shared/apdu/index.js';
import { CardProtocolError, transact, transactOk, WrongDataError } from '../../../shared/piv/index.js';
import { ScriptedChannel } from './scripted-channel.js';

const bytes = (n: number, fill: number) => toHex(new Uint8Array(n).fill(fill));

describe('PIV transport: chaining and GET RESPONSE', () => {
  it('joins 61xx chunks with GET RESPONSE, asking 00 for 256 and xx for the rest', async () => {
    const channel = new ScriptedChannel([
      { expect: '00CB3FFF055C035FC10500', reply: bytes(256, 0xaa) + '6100' },
      { expect: '00C0000000', reply: bytes(256, 0xbb) + '6110' },
      { expect: '00C0000010', reply: bytes(16, 0xcc) + '9000' },
    ]);
    const data = await transactOk(channel, {
      name: 'GET DATA',
      ins: 0xcb,
      p1: 0x3f,
      p2: 0xff,
      data: Uint8Array.of(0x5c, 0x03, 0x5f, 0xc1, 0x05),
      expectData: true,
    });
    expect(data.length).to.equal(528);
    expect(data[0]).to.equal(0xaa);
    expect(data[256]).to.equal(0xbb);
    expect(data[527]).to.equal(0xcc);
    expect(channel.remaining).to.equal(0);
  });

  it('splits data over 255 bytes into CLA 10 blocks of 255 and a final CLA 00 block', async () => {
    const data = new Uint8Array(600).map((_, i) => i & 0xff);
    const channel = new ScriptedChannel([
      { expect: (a) => a.length === 5 + 255 && toHex(a.subarray(0, 5)) === '10DB3FFFFF', reply: '9000' },
      { expect: (a) => a.length === 5 + 255 && toHex(a.subarray(0, 5)) === '10DB3FFFFF' && a[5] === 255, reply: '9000' },
      { expect: (a) => a.length === 5 + 90 && toHex(a.subarray(0, 5)) === '00DB3FFF5A', reply: '9000' },
    ]);
    await transactOk(channel, { name: 'PUT DATA', ins: 0xdb, p1: 0x3f, p2: 0xff, data });
    expect(channel.remaining).to.equal(0);
  });

  it('stops the chain at the first block the card refuses and reports its status', async () => {
    const channel = new ScriptedChannel([{ expect: (a) => a[0] === 0x10, reply: '6A80' }]);
    const err = await transactOk(channel, { name: 'PUT DATA', ins: 0xdb, p1: 0x3f, p2: 0xff, data: new Uint8Array(300) }).catch((e) => e);
    expect(err).to.be.instanceOf(WrongDataError);
    expect(channel.sent).to.have.length(1);
  });

  it('resends with the exact Le after 6Cxx', async () => {
    const channel = new ScriptedChannel([
      { expect: '00CA000000', reply: '6C04' },
      { expect: '00CA000004', reply: '010203049000' },
    ]);
    const answer = await transact(channel, { name: 'X', ins: 0xca, p1: 0, p2: 0, expectData: true });
    expect(toHex(answer.data)).to.equal('01020304');
  });

  it('sends case 1 without Le and case 3 without Le when no data is expected', async () => {
    const channel = new ScriptedChannel([
      { expect: '00200080', reply: '63C3' },
      { expect: '002000800831323334353637FF', reply: '9000' },
    ]);
    expect((await transact(channel, { name: 'V', ins: 0x20, p1: 0, p2: 0x80 })).sw).to.equal(0x63c3);
    await transactOk(channel, { name: 'V', ins: 0x20, p1: 0, p2: 0x80, data: Uint8Array.from(Buffer.from('31323334353637FF', 'hex')) });
  });

  it('an answer shorter than a status word is a protocol error', async () => {
    const err = await transact({ transmit: async () => Uint8Array.of(0x90) }, { name: 'X', ins: 0xca, p1: 0, p2: 0 }).catch((e) => e);
    expect(err).to.be.instanceOf(CardProtocolError);
  });
});
