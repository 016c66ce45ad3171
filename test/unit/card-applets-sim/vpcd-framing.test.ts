import { expect } from 'chai';
import fc from 'fast-check';
import { encodeFrame, FrameDecoder } from '../../../card-applets-sim/vpcd/framing.js';
import { parseVpcdAddress } from '../../../card-applets-sim/cli/serve-card.js';

describe('vpcd framing (2-byte big-endian length)', () => {
  it('encodes a frame as length + payload', () => {
    expect([...encodeFrame(Uint8Array.of(0x04))]).to.deep.equal([0x00, 0x01, 0x04]);
    expect([...encodeFrame(new Uint8Array(0))]).to.deep.equal([0x00, 0x00]);
    expect(encodeFrame(new Uint8Array(300)).readUInt16BE(0)).to.equal(300);
    expect(() => encodeFrame(new Uint8Array(0x10000))).to.throw(RangeError);
  });

  it('reassembles split frames and separates merged ones (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map((p) => encodeFrame(p)));
          const decoder = new FrameDecoder();
          const out: Buffer[] = [];
          let at = 0;
          let i = 0;
          while (at < stream.length) {
            const size = cuts[i++ % cuts.length]!;
            out.push(...decoder.push(stream.subarray(at, at + size)));
            at += size;
          }
          expect(out.map((b) => b.toString('hex'))).to.deep.equal(payloads.map((p) => Buffer.from(p).toString('hex')));
          expect(decoder.pendingBytes).to.equal(0);
        },
      ),
    );
  });

  it('keeps a partial frame until the rest arrives', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(Uint8Array.of(0x00))).to.deep.equal([]);
    expect(decoder.push(Uint8Array.of(0x02, 0xaa))).to.deep.equal([]);
    expect(decoder.pendingBytes).to.equal(3);
    expect(decoder.push(Uint8Array.of(0xbb, 0x00)).map((b) => b.toString('hex'))).to.deep.equal(['aabb']);
    decoder.clear();
    expect(decoder.pendingBytes).to.equal(0);
  });

  it('parses --vpcd addresses', () => {
    expect(parseVpcdAddress('127.0.0.1:35964')).to.deep.equal({ host: '127.0.0.1', port: 35964 });
    expect(parseVpcdAddress('35964')).to.deep.equal({ host: '127.0.0.1', port: 35964 });
    expect(parseVpcdAddress('localhost:1')).to.deep.equal({ host: 'localhost', port: 1 });
    expect(() => parseVpcdAddress('host:0')).to.throw(RangeError);
    expect(() => parseVpcdAddress('host:port')).to.throw(RangeError);
  });
});
