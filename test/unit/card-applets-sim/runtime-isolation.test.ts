import { expect } from 'chai';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import { CardRuntime } from '../../../card-applets-sim/runtime/card-runtime.js';
import type { Applet } from '../../../card-applets-sim/runtime/applet.js';
import { SimulatedCardChannel } from '../../../card-applets-sim/simulated-card.js';
import { PivApplet } from '../../../card-applets-sim/piv/piv-applet.js';
import { MemoryCardStore } from '../../../card-applets-sim/store/card-store.js';
import { factoryState } from '../../../card-applets-sim/store/factory-defaults.js';
import { newCard, SELECT_PIV } from './support/card-harness.js';

const brokenApplet: Applet = {
  aid: fromHex('F000000001'),
  select: () => ({ sw: 0x9000 }),
  deselect: () => undefined,
  powerReset: () => undefined,
  process: () => { throw new Error('bug'); },
};

describe('card runtime isolation and the CardChannel adapter', () => {
  it('turns an applet exception into 6F00 instead of throwing out of transmit', () => {
    const runtime = new CardRuntime([brokenApplet]);
    expect(toHex(runtime.transmit(fromHex('00A4040005F000000001')))).to.equal('9000');
    expect(toHex(runtime.transmit(fromHex('0001000000')))).to.equal('6F00');
  });

  it('selecting another applet drops PIV security status (§3.1.1)', () => {
    const other: Applet = { ...brokenApplet, process: () => ({ sw: 0x9000 }) };
    const runtime = new CardRuntime([new PivApplet(new MemoryCardStore(factoryState())), other]);
    const sw = (hex: string): string => toHex(runtime.transmit(fromHex(hex))).slice(-4);
    expect(sw(SELECT_PIV)).to.equal('9000');
    expect(sw('0020008008313233343536FFFF')).to.equal('9000');
    expect(sw('00A4040005F000000001')).to.equal('9000');
    expect(sw(SELECT_PIV)).to.equal('9000');
    expect(sw('00200080')).to.equal('63C3');
  });

  it('SimulatedCardChannel relays APDUs asynchronously', async () => {
    const h = newCard();
    const channel = new SimulatedCardChannel(h.card);
    expect(toHex(await channel.transmit(fromHex(SELECT_PIV))).slice(-4)).to.equal('9000');
    expect(toHex(await channel.transmit(fromHex('00FD000000')))).to.equal('0504039000');
  });
});
