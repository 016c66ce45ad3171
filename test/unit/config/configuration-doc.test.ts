import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { configSchema } from '../../../shared/config/index.js';

describe('docs/configuration.md', () => {
  const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));

  it('lists every variable the configuration schema reads', () => {
    const missing = Object.keys(configSchema.properties).filter((name) => !documented.has(name));
    expect(missing, 'add these to docs/configuration.md').to.deep.equal([]);
  });

  it('lists no variable the schema does not read', () => {
    const stale = [...documented].filter((name) => !(name! in configSchema.properties));
    expect(stale, 'remove these from docs/configuration.md or add them to the schema').to.deep.equal([]);
  });
});
