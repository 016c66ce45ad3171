import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCardFile } from '../../../card-applets-sim/index.js';
import { PivClient } from '../../../shared/piv/index.js';
import { openReaderSpec, parseReaderSpec, PcscReaderProvider } from '../../../shared/readers/index.js';

describe('reader specs', () => {
  it('sim:<file> is a simulated card file', () => {
    expect(parseReaderSpec('sim:cards/alice.json')).to.deep.equal({ kind: 'sim', cardFile: 'cards/alice.json' });
  });

  it('anything else is a PC/SC reader name, with an optional pcsc: prefix', () => {
    expect(parseReaderSpec('Virtual PCD 00 00')).to.deep.equal({ kind: 'pcsc', reader: 'Virtual PCD 00 00' });
    expect(parseReaderSpec('pcsc:sim: odd name')).to.deep.equal({ kind: 'pcsc', reader: 'sim: odd name' });
  });

  it('rejects empty specs', () => {
    expect(() => parseReaderSpec('sim:')).to.throw(RangeError);
    expect(() => parseReaderSpec('')).to.throw(RangeError);
    expect(() => parseReaderSpec('pcsc:')).to.throw(RangeError);
  });

  it('opens a sim: spec as a simulated reader holding that card', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-spec-'));
    try {
      const file = join(dir, 'card.json');
      createCardFile(file, { alg: 'rsa2048' });
      const { provider, reader } = await openReaderSpec(`sim:${file}`);
      expect(provider.kind).to.equal('sim');
      const piv = new PivClient(await provider.connect(reader));
      await piv.select();
      expect((await piv.readChuid()).guid).to.have.length(16);
      await provider.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens a reader name as a PC/SC provider without touching PC/SC yet', async () => {
    const { provider, reader } = await openReaderSpec('Virtual PCD 00 01');
    expect(provider).to.be.instanceOf(PcscReaderProvider);
    expect(reader).to.equal('Virtual PCD 00 01');
    await provider.close();
  });
});
