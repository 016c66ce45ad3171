import { expect } from 'chai';
import {
  CardError,
  CardProtocolError,
  ConditionsNotSatisfiedError,
  KeyNotFoundError,
  NotFoundError,
  PinBlockedError,
  PivClient,
  PukBlockedError,
  SecurityStatusNotSatisfiedError,
  UnexpectedStatusError,
  UnsupportedCommandError,
  WrongDataError,
  WrongPinError,
  WrongPukError,
  errorForStatus,
} from '../../../shared/piv/index.js';
import { errorCatalogue } from '../../../shared/errors/index.js';
import { answering } from './scripted-channel.js';

describe('PIV status words -> typed errors', () => {
  const table: [number, Function, string][] = [
    [0x63c2, WrongPinError, 'ERR_CARD_WRONG_PIN'],
    [0x6983, PinBlockedError, 'ERR_CARD_PIN_BLOCKED'],
    [0x6982, SecurityStatusNotSatisfiedError, 'ERR_CARD_SECURITY_STATUS'],
    [0x6a82, NotFoundError, 'ERR_CARD_NOT_FOUND'],
    [0x6a88, KeyNotFoundError, 'ERR_CARD_KEY_NOT_FOUND'],
    [0x6a80, WrongDataError, 'ERR_CARD_WRONG_DATA'],
    [0x6a86, WrongDataError, 'ERR_CARD_WRONG_DATA'],
    [0x6700, WrongDataError, 'ERR_CARD_WRONG_DATA'],
    [0x6985, ConditionsNotSatisfiedError, 'ERR_CARD_CONDITIONS_NOT_SATISFIED'],
    [0x6d00, UnsupportedCommandError, 'ERR_CARD_UNSUPPORTED'],
    [0x6e00, UnsupportedCommandError, 'ERR_CARD_UNSUPPORTED'],
    [0x6a81, UnsupportedCommandError, 'ERR_CARD_UNSUPPORTED'],
    [0x6883, CardProtocolError, 'ERR_CARD_PROTOCOL'],
    [0x6f00, UnexpectedStatusError, 'ERR_CARD_STATUS'],
  ];

  for (const [sw, type, code] of table) {
    it(`${sw.toString(16).toUpperCase()} -> ${type.name} (${code}) keeping SW1 SW2`, () => {
      const err = errorForStatus(sw, 'TEST');
      expect(err).to.be.instanceOf(type);
      expect(err).to.be.instanceOf(CardError);
      expect(err.code).to.equal(code);
      expect(err.sw1).to.equal(sw >> 8);
      expect(err.sw2).to.equal(sw & 0xff);
      expect(err.sw).to.equal(sw);
      expect(err.extensions['sw']).to.equal(sw.toString(16).toUpperCase());
    });
  }

  it('63Cx carries the tries left, for the PIN or the PUK by reference', () => {
    const pin = errorForStatus(0x63c1, 'VERIFY', 'pin');
    const puk = errorForStatus(0x63c0, 'RESET RETRY COUNTER', 'puk');
    expect(pin).to.be.instanceOf(WrongPinError).with.property('triesLeft', 1);
    expect(puk).to.be.instanceOf(WrongPukError).with.property('triesLeft', 0);
    expect(pin.extensions['triesLeft']).to.equal(1);
  });

  it('6983 on the PUK reference is PukBlockedError', () => {
    expect(errorForStatus(0x6983, 'RESET RETRY COUNTER', 'puk')).to.be.instanceOf(PukBlockedError);
  });

  it('every card code is in the shared catalogue with an HTTP status', () => {
    for (const [, , code] of table) expect(errorCatalogue).to.have.property(code);
    expect(errorCatalogue.ERR_CARD_WRONG_PIN.status).to.equal(422);
    expect(errorCatalogue.ERR_CARD_REMOVED.status).to.equal(409);
  });

  it('a client operation rejects with the typed error of the status word', async () => {
    const client = new PivClient(answering('6A82'));
    const err = await client.readCertificate(0x9a).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(NotFoundError);
    expect((err as NotFoundError).message).to.contain('GET DATA 5FC105');
  });
});
