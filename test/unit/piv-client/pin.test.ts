import { expect } from 'chai';
import { toHex } from '../../../shared/apdu/index.js';
import {
  encodePin,
  PinBlockedError,
  PinFormatError,
  PivClient,
  PukBlockedError,
  WrongPinError,
  WrongPukError,
} from '../../../shared/piv/index.js';
import { ScriptedChannel } from './scripted-channel.js';

describe('PIV PIN handling', () => {
  describe('encodePin (FIPS 201-3 §4.3; SP 800-73-4 Part 2 §3.2.1)', () => {
    it('pads 6 to 8 ASCII digits with FF to 8 bytes', () => {
      expect(toHex(encodePin('123456'))).to.equal('313233343536FFFF');
      expect(toHex(encodePin('1234567'))).to.equal('31323334353637FF');
      expect(toHex(encodePin('12345678'))).to.equal('3132333435363738');
    });

    for (const bad of ['', '12345', '123456789', '12345a', '１２３４５６', '123 456']) {
      it(`rejects ${JSON.stringify(bad)} before sending anything`, async () => {
        expect(() => encodePin(bad)).to.throw(PinFormatError);
        const channel = new ScriptedChannel([]);
        const err = await new PivClient(channel).verifyPin(bad).catch((e) => e);
        expect(err).to.be.instanceOf(PinFormatError).with.property('code', 'ERR_CARD_PIN_FORMAT');
        expect(channel.sent).to.deep.equal([]);
      });
    }

    it('names the PUK when the PUK is malformed', async () => {
      const err = await new PivClient(new ScriptedChannel([])).unblockPin('1234', '123456').catch((e) => e);
      expect(err).to.be.instanceOf(PinFormatError).with.property('which', 'puk');
    });
  });

  it('verifyPin sends 00 20 00 80 08 <padded PIN>', async () => {
    const channel = new ScriptedChannel([{ expect: '0020008008313233343536FFFF', reply: '9000' }]);
    await new PivClient(channel).verifyPin('123456');
    expect(channel.remaining).to.equal(0);
  });

  it('a wrong PIN is WrongPinError with the tries left', async () => {
    const channel = new ScriptedChannel([{ expect: '0020008008393939393939FFFF', reply: '63C2' }]);
    const err = await new PivClient(channel).verifyPin('999999').catch((e) => e);
    expect(err).to.be.instanceOf(WrongPinError);
    expect(err.triesLeft).to.equal(2);
    expect([err.sw1, err.sw2]).to.deep.equal([0x63, 0xc2]);
  });

  it('a blocked PIN is PinBlockedError', async () => {
    const err = await new PivClient(new ScriptedChannel([{ expect: () => true, reply: '6983' }])).verifyPin('123456').catch((e) => e);
    expect(err).to.be.instanceOf(PinBlockedError);
  });

  it('pinStatus reads the counter with an empty VERIFY', async () => {
    const channel = new ScriptedChannel([
      { expect: '00200080', reply: '63C3' },
      { expect: '00200080', reply: '9000' },
      { expect: '00200080', reply: '6983' },
    ]);
    const client = new PivClient(channel);
    expect(await client.pinStatus()).to.deep.equal({ verified: false, triesLeft: 3, blocked: false });
    expect(await client.pinStatus()).to.deep.equal({ verified: true, triesLeft: undefined, blocked: false });
    expect(await client.pinStatus()).to.deep.equal({ verified: false, triesLeft: 0, blocked: true });
  });

  it('resetPinStatus sends VERIFY with P1 FF', async () => {
    const channel = new ScriptedChannel([{ expect: '0020FF80', reply: '9000' }]);
    await new PivClient(channel).resetPinStatus();
    expect(channel.remaining).to.equal(0);
  });

  it('changePin sends CHANGE REFERENCE DATA 80 with old and new PIN', async () => {
    const channel = new ScriptedChannel([{ expect: '0024008010313233343536FFFF3635343332313030', reply: '9000' }]);
    await new PivClient(channel).changePin('123456', '65432100');
    expect(channel.remaining).to.equal(0);
  });

  it('changePuk uses reference 81, and a wrong old PUK is WrongPukError', async () => {
    const channel = new ScriptedChannel([{ expect: '00240081103132333435363738383736353433FFFF', reply: '63C1' }]);
    const err = await new PivClient(channel).changePuk('12345678', '876543').catch((e) => e);
    expect(err).to.be.instanceOf(WrongPukError).with.property('triesLeft', 1);
  });

  it('unblockPin sends RESET RETRY COUNTER with PUK then new PIN; 6983 is PukBlockedError', async () => {
    const channel = new ScriptedChannel([
      { expect: '002C0080103132333435363738313131313131FFFF', reply: '9000' },
      { expect: () => true, reply: '6983' },
    ]);
    const client = new PivClient(channel);
    await client.unblockPin('12345678', '111111');
    expect(await client.unblockPin('12345678', '111111').catch((e) => e)).to.be.instanceOf(PukBlockedError);
  });
});
