import { expect } from 'chai';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import { encodeTlv } from '../../../shared/tlv/index.js';
import {
  CardProtocolError,
  decodeChuid,
  encodeChuid,
  formatGuid,
  newChuid,
  NON_FEDERAL_FASCN,
  PivClient,
} from '../../../shared/piv/index.js';
import { ScriptedChannel } from './scripted-channel.js';

describe('PIV CHUID', () => {
  it('encodes 30 FASC-N, 34 GUID, 35 expiry, 3E, FE and decodes it back', () => {
    const chuid = { fascn: NON_FEDERAL_FASCN, guid: fromHex('00112233445566778899AABBCCDDEEFF'), expiry: '2030-01-01', signature: new Uint8Array(0) };
    const value = encodeChuid(chuid);
    expect(toHex(value)).to.equal(
      '3019D4E739DA739CED39CE739D836858210842108421C84210C3EB' + '341000112233445566778899AABBCCDDEEFF' + '35083230333030313031' + '3E00FE00',
    );
    expect(decodeChuid(value)).to.deep.equal(chuid);
    expect(formatGuid(chuid.guid)).to.equal('00112233-4455-6677-8899-aabbccddeeff');
  });

  it('newChuid draws a fresh GUID each time', () => {
    expect(toHex(newChuid().guid)).to.not.equal(toHex(newChuid().guid));
  });

  it('reads the CHUID with GET DATA 5FC102', async () => {
    const chuid = newChuid({ expiry: '2031-12-31' });
    const channel = new ScriptedChannel([{ expect: '00CB3FFF055C035FC10200', reply: toHex(encodeTlv(0x53, encodeChuid(chuid))) + '9000' }]);
    const read = await new PivClient(channel).readChuid();
    expect(toHex(read.guid)).to.equal(toHex(chuid.guid));
    expect(read.expiry).to.equal('2031-12-31');
  });

  it('writes it with PUT DATA 5FC102', async () => {
    const chuid = newChuid();
    const channel = new ScriptedChannel([
      { expect: toHex(Uint8Array.of(0x00, 0xdb, 0x3f, 0xff, 5 + 2 + 59)) + '5C035FC102533B' + toHex(encodeChuid(chuid)), reply: '9000' },
    ]);
    await new PivClient(channel).writeChuid(chuid);
    expect(channel.remaining).to.equal(0);
  });

  it('a CHUID without a GUID is a protocol error', () => {
    expect(() => decodeChuid(fromHex('3500FE00'))).to.throw(CardProtocolError);
  });
});
