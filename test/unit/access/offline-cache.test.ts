import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { OfflineCache } from '../../../services/reader-agent/door/index.js';

describe('access door role: offline cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-door-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the allow-list and the queued events across a restart and drops what was uploaded', () => {
    const first = new OfflineCache(dir);
    first.storeAllowList('h.p.s', { keys: [{ kty: 'EC', kid: 'k' }] });
    first.queue({ key: 'a', kind: 'forced', at: '2026-07-01T09:00:00.000Z' });
    first.queue({ key: 'b', kind: 'granted', at: '2026-07-01T09:01:00.000Z', offline: true });
    const second = new OfflineCache(dir);
    expect(second.allowList).to.equal('h.p.s');
    expect(second.pending.map((e) => e.key)).to.deep.equal(['a', 'b']);
    second.uploaded(['a']);
    expect(new OfflineCache(dir).pending.map((e) => e.key)).to.deep.equal(['b']);
  });

  it('refuses a damaged cache file rather than start from nothing silently', () => {
    writeFileSync(join(dir, 'door-cache.json'), '{not json');
    expect(() => new OfflineCache(dir)).to.throw();
  });
});
