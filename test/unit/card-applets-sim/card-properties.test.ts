import { expect } from 'chai';
import fc from 'fast-check';
import { encodeCommandApdu, isWellFormedStatusWord, parseResponseApdu, toHex } from '../../../shared/apdu/index.js';
import { authenticateMgmt, newCard, PIN_123456, PUK_12345678, SELECT_PIV, selectedCard, testKey } from './support/card-harness.js';

const PIV_INS = [0x20, 0x24, 0x2c, 0x47, 0x87, 0xa4, 0xc0, 0xcb, 0xdb, 0xf8, 0xfa, 0xfb, 0xfd, 0xff];

function expectValidResponse(response: Uint8Array): void {
  expect(response.length).to.be.at.least(2);
  expect(response.length - 2).to.be.at.most(256);
  const { sw } = parseResponseApdu(response);
  expect(isWellFormedStatusWord(sw), sw.toString(16)).to.equal(true);
  // 6F00 is what the runtime answers when an applet throws: a bug, not an answer.
  expect(sw, 'applet threw').to.not.equal(0x6f00);
}

describe('simulated card properties (fast-check)', () => {
  it('random bytes never throw and always get a valid status word', () => {
    const h = selectedCard((s) => { s.keys['9E'] = testKey('p256'); });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectValidResponse(h.card.transmit(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('well-framed APDUs with PIV instructions and random fields never throw (both before and after mgmt auth)', () => {
    for (const authenticated of [false, true]) {
      const h = selectedCard((s) => { s.keys['9E'] = testKey('p256'); s.keys['9A'] = testKey('rsa2048'); });
      if (authenticated) authenticateMgmt(h);
      fc.assert(
        fc.property(
          fc.record({
            cla: fc.constantFrom(0x00, 0x10, 0x00, 0x80),
            ins: fc.constantFrom(...PIV_INS.filter((ins) => ins !== 0x47 && ins !== 0xfb)),
            p1: fc.oneof(fc.constantFrom(0x00, 0x3f, 0x07, 0x11, 0x03, 0xff), fc.integer({ min: 0, max: 255 })),
            p2: fc.oneof(fc.constantFrom(0x80, 0x81, 0x9a, 0x9b, 0x9e, 0xff), fc.integer({ min: 0, max: 255 })),
            data: fc.oneof(
              fc.uint8Array({ maxLength: 40 }),
              fc.constantFrom(Uint8Array.of(0x5c, 0x01, 0x7e), Uint8Array.of(0x7c, 0x02, 0x80, 0x00), Uint8Array.of(0x7c, 0x02, 0x81, 0x00)),
            ),
            ne: fc.option(fc.integer({ min: 1, max: 256 }), { nil: null }),
          }),
          (fields) => {
            expectValidResponse(h.card.transmit(encodeCommandApdu(fields)));
          },
        ),
        { numRuns: 1500 },
      );
    }
  });

  type Op =
    | 'verifyRight' | 'verifyWrong' | 'rrcRight' | 'rrcWrong' | 'changePinRight' | 'changePinWrong'
    | 'changePukWrong' | 'appletReset' | 'setRetriesNoAuth' | 'mgmtWrong' | 'powerCycle' | 'reselect' | 'statusQuery';
  const OPS: Op[] = ['verifyRight', 'verifyWrong', 'rrcRight', 'rrcWrong', 'changePinRight', 'changePinWrong', 'changePukWrong', 'appletReset', 'setRetriesNoAuth', 'mgmtWrong', 'powerCycle', 'reselect', 'statusQuery'];

  it('PIN and PUK counters never go below zero and only go up with the right PIN, PUK, or a reset of a fully blocked card', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...OPS), { minLength: 1, maxLength: 40 }), (ops) => {
        const h = newCard((s) => { s.keys['9A'] = testKey('p256'); });
        h.tx(SELECT_PIV);
        let wiped = false;
        for (const op of ops) {
          const before = structuredClone(h.store.state);
          switch (op) {
            case 'verifyRight': h.tx(`0020008008${PIN_123456}`); break;
            case 'verifyWrong': h.tx('0020008008303030303030FFFF'); break;
            case 'rrcRight': h.tx(`002C008010${PUK_12345678}${PIN_123456}`); break;
            case 'rrcWrong': h.tx(`002C008010${'30'.repeat(8)}${PIN_123456}`); break;
            case 'changePinRight': h.tx(`0024008010${PIN_123456}${PIN_123456}`); break;
            case 'changePinWrong': h.tx(`0024008010303030303030FFFF${PIN_123456}`); break;
            case 'changePukWrong': h.tx(`0024008110${'30'.repeat(8)}${PUK_12345678}`); break;
            case 'appletReset': h.tx('00FB000000'); break;
            case 'setRetriesNoAuth': h.tx('00FA0909'); break;
            case 'mgmtWrong': authenticateMgmt(h, 'FF'.repeat(24)); break;
            case 'powerCycle': h.card.powerOff(); h.card.powerOn(); h.tx(SELECT_PIV); break;
            case 'reselect': h.tx(SELECT_PIV); break;
            case 'statusQuery': h.tx('00200080'); break;
          }
          const after = h.store.state;
          for (const which of ['pin', 'puk'] as const) {
            expect(after[which].triesLeft).to.be.within(0, after[which].maxTries);
            expect(after[which].maxTries).to.equal(3);
          }
          const fullyBlockedReset = op === 'appletReset' && before.pin.triesLeft === 0 && before.puk.triesLeft === 0;
          if (after.pin.triesLeft > before.pin.triesLeft) {
            const rightPin = ['verifyRight', 'changePinRight'].includes(op) && before.pin.triesLeft > 0;
            const rightPuk = op === 'rrcRight' && before.puk.triesLeft > 0;
            expect(rightPin || rightPuk || fullyBlockedReset, `${op} raised the PIN counter`).to.equal(true);
          }
          if (after.puk.triesLeft > before.puk.triesLeft) {
            expect((op === 'rrcRight' && before.puk.triesLeft > 0) || fullyBlockedReset, `${op} raised the PUK counter`).to.equal(true);
          }
          // Keys go only with a reset of a fully blocked card, and then stay gone.
          if (fullyBlockedReset) wiped = true;
          expect(Object.keys(after.keys)).to.deep.equal(wiped ? [] : ['9A']);
        }
      }),
      { numRuns: 300, examples: [[["verifyWrong","verifyWrong","verifyWrong","rrcWrong","rrcWrong","rrcWrong","appletReset","statusQuery","verifyRight"]]] },
    );
  });

  it('chained commands split anywhere give the same answer as the whole command', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), (cuts) => {
        const h = selectedCard();
        const data = Uint8Array.of(0x5c, 0x03, 0x5f, 0xc1, 0x02);
        let at = 0;
        let reply = { data: '', sw: 0 };
        for (const cut of [...cuts, data.length]) {
          const end = Math.min(data.length, at + cut);
          const last = end === data.length;
          if (end === at && !last) continue;
          reply = h.txBytes(encodeCommandApdu({ cla: last ? 0 : 0x10, ins: 0xcb, p1: 0x3f, p2: 0xff, data: data.subarray(at, end) }));
          at = end;
          if (last) break;
        }
        expect(reply.sw).to.equal(0x9000);
        expect(reply.data).to.equal(selectedCard((s) => { s.objects['5FC102'] = h.store.state.objects['5FC102']!; }).tx('00CB3FFF055C035FC102').data);
        expect(toHex(data)).to.equal('5C035FC102');
      }),
      { numRuns: 100 },
    );
  });
});
