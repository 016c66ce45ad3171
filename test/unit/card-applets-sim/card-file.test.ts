import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex, parseResponseApdu, toHex } from '../../../shared/apdu/index.js';
import { decodeSingleTlv, decodeTlvSequence, findTlv } from '../../../shared/tlv/index.js';
import { SimulatedCard } from '../../../card-applets-sim/simulated-card.js';
import { createCardFile, loadCardFile, openCardStore } from '../../../card-applets-sim/store/card-file.js';
import { CardFileError } from '../../../card-applets-sim/store/card-file-error.js';
import { FileCardStore, serializeCardState } from '../../../card-applets-sim/store/card-store.js';
import { nodeIo, writeFileAtomic } from '../../../card-applets-sim/store/atomic-write.js';
import { LoadedKeyPair } from '../../../card-applets-sim/piv/key-pair.js';
import { PIN_123456, SELECT_PIV } from './support/card-harness.js';


describe('card files (store/)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tessera-card-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const tx = (card: SimulatedCard, hex: string): number => parseResponseApdu(card.transmit(fromHex(hex))).sw;

  it('creates a factory-blank card with the documented defaults', () => {
    const path = join(dir, 'a.json');
    const state = createCardFile(path, { alg: 'p256' });
    const loaded = loadCardFile(path);
    expect(loaded).to.deep.equal(state);
    expect(loaded.defaultAlg).to.equal('p256');
    expect(loaded.pin).to.deep.equal({ value: PIN_123456, triesLeft: 3, maxTries: 3 });
    expect(loaded.puk).to.deep.equal({ value: '3132333435363738', triesLeft: 3, maxTries: 3 });
    expect(loaded.managementKey).to.deep.equal({ alg: '3des', key: '010203040506070801020304050607080102030405060708' });
    expect(loaded.keys).to.deep.equal({});
    expect(Object.keys(loaded.objects).sort()).to.deep.equal(['5FC102', '5FC107', '7E']);
  });

  it('refuses to overwrite an existing card unless asked', () => {
    const path = join(dir, 'a.json');
    createCardFile(path);
    expect(() => createCardFile(path)).to.throw(CardFileError).with.property('code', 'ERR_CARD_FILE_EXISTS');
    expect(createCardFile(path, { overwrite: true }).id).to.be.a('string');
  });

  it('reports unreadable and invalid files with typed errors', () => {
    expect(() => loadCardFile(join(dir, 'missing.json'))).to.throw(CardFileError).with.property('code', 'ERR_CARD_FILE_UNREADABLE');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"tessera.simulated-card/1"');
    expect(() => loadCardFile(bad)).to.throw(CardFileError).with.property('code', 'ERR_CARD_FILE_INVALID');
    const good = createCardFile(join(dir, 'g.json'));
    for (const mutate of [
      (s: Record<string, unknown>) => { s.format = 'other'; },
      (s: Record<string, unknown>) => { (s.pin as Record<string, unknown>).triesLeft = 9; },
      (s: Record<string, unknown>) => { (s.pin as Record<string, unknown>).value = 'zz'; },
      (s: Record<string, unknown>) => { s.version = [5, 4]; },
      (s: Record<string, unknown>) => { s.keys = { '9A': { alg: 'rsa1024', pkcs8: '' } }; },
      (s: Record<string, unknown>) => { s.managementKey = { alg: 'des', key: '00' }; },
    ]) {
      const copy = structuredClone(good) as unknown as Record<string, unknown>;
      mutate(copy);
      writeFileSync(bad, JSON.stringify(copy));
      expect(() => loadCardFile(bad)).to.throw(CardFileError).with.property('code', 'ERR_CARD_FILE_INVALID');
    }
  });

  it('saves every change, PIN counters included, so state survives a reload', () => {
    const path = join(dir, 'a.json');
    createCardFile(path);
    const card = SimulatedCard.fromFile(path);
    tx(card, SELECT_PIV);
    expect(tx(card, '0020008008393939393939FFFF')).to.equal(0x63c2);
    expect(loadCardFile(path).pin.triesLeft).to.equal(2);
    const again = SimulatedCard.fromFile(path);
    tx(again, SELECT_PIV);
    expect(tx(again, '00200080')).to.equal(0x63c2);
    expect(tx(again, `0020008008${PIN_123456}`)).to.equal(0x9000);
    expect(loadCardFile(path).pin.triesLeft).to.equal(3);
    expect(readdirSync(dir)).to.deep.equal(['a.json']); // no temp files left behind
  });

  it('keeps the previous file intact and the card unchanged when a save fails', () => {
    const path = join(dir, 'a.json');
    createCardFile(path);
    const before = readFileSync(path, 'utf8');
    for (const failing of ['writeSync', 'fsyncSync', 'renameSync'] as const) {
      const io = { ...nodeIo, [failing]: () => { throw Object.assign(new Error(`injected ${failing} failure`), { code: 'EIO' }); } };
      const store = new FileCardStore(path, loadCardFile(path), io);
      const card = new SimulatedCard(store);
      tx(card, SELECT_PIV);
      expect(tx(card, '0020008008393939393939FFFF'), failing).to.equal(0x6581);
      expect(readFileSync(path, 'utf8'), failing).to.equal(before);
      expect(store.state.pin.triesLeft, failing).to.equal(3);
      expect(readdirSync(dir), failing).to.deep.equal(['a.json']);
    }
  });

  it('writeFileAtomic replaces the content in one step', () => {
    const path = join(dir, 'x.json');
    writeFileAtomic(path, 'one');
    writeFileAtomic(path, 'two');
    expect(readFileSync(path, 'utf8')).to.equal('two');
    expect(() => writeFileAtomic(join(dir, 'no', 'such', 'dir.json'), 'x')).to.throw();
  });

  it('serializes to stable, readable JSON', () => {
    const state = createCardFile(join(dir, 'a.json'));
    expect(serializeCardState(state)).to.equal(readFileSync(join(dir, 'a.json'), 'utf8'));
    expect(openCardStore(join(dir, 'a.json')).state).to.deep.equal(state);
  });

  for (const alg of ['rsa2048', 'p256'] as const) {
    it(`--provision (${alg}) puts keys and matching self-signed certificates in 9A and 9E`, () => {
      const path = join(dir, `${alg}.json`);
      const state = createCardFile(path, { alg, provision: true });
      expect(Object.keys(state.keys).sort()).to.deep.equal(['9A', '9E']);
      for (const [slot, tag] of [['9A', '5FC105'], ['9E', '5FC101']] as const) {
        const container = decodeTlvSequence(decodeSingleTlv(fromHex(state.objects[tag]!)).value);
        expect(container.map((t) => t.tag)).to.deep.equal([0x70, 0x71, 0xfe]);
        const cert = new NodeX509(findTlv(container, 0x70)!.value);
        expect(cert.verify(cert.publicKey)).to.equal(true);
        expect(cert.subject).to.include(`Tessera simulated card ${state.serial}`);
        const key = new LoadedKeyPair(state.keys[slot]!);
        const exported = cert.publicKey.export({ format: 'jwk' });
        const expected = alg === 'rsa2048' ? exported.n : exported.x;
        const actual = alg === 'rsa2048' ? Buffer.from(key.publicKey).toString('base64url') : Buffer.from(key.publicKey.subarray(1, 33)).toString('base64url');
        expect(actual).to.equal(expected);
      }
      expect(toHex(fromHex(state.objects['5FC105']!)).length).to.be.greaterThan(100);
    });
  }
});
