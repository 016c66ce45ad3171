import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { toPem } from '../../../shared/x509/index.js';
import { makeCert } from '../../unit/x509/fixtures.js';
import { runCli } from '../../support/platform-process.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { DAY } from './pki-fixture.js';

describe('PKI: the tessera pki commands', function () {
  this.timeout(180_000);
  let dir: string;
  let db: TestDatabase | undefined;
  let env: Record<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-pki-cli-'));
    // On PostgreSQL the CLI gets a database of its own; on the embedded database, a data folder of its own.
    db = onPostgres ? await createTestDatabase({ migrate: false }) : undefined;
    env = db ? { DATABASE_URL: db.url!, TESSERA_KEK: randomBytes(32).toString('base64') } : { TESSERA_DATA_DIR: join(dir, 'data') };
    const now = Date.now();
    const root = await makeCert({ name: 'C=GB, O=Example Council, CN=Example Council Root CA', spec: 'p384', ca: true, notBefore: new Date(now - DAY), notAfter: new Date(now + 3650 * DAY) });
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', root.keys.privateKey));
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    writeFileSync(join(dir, 'ca.pem'), toPem(root.view.der, 'CERTIFICATE'));
    writeFileSync(join(dir, 'ca-key.pem'), String(key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'council secret' })), { mode: 0o600 });
  });
  after(async () => {
    await db?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has help for pki import, and refuses a passphrase variable that is not set, with exit code 1', async () => {
    const help = await runCli(['pki', 'import', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: tessera pki import/m);
    expect(help.stdout).to.include('--passphrase-env');
    const noPassphrase = await runCli(['pki', 'import', '--cert', join(dir, 'ca.pem'), '--key', join(dir, 'ca-key.pem'), '--passphrase-env', 'CA_PASSPHRASE'], env);
    expect(noPassphrase.code).to.equal(1);
    expect(noPassphrase.stderr).to.match(/CA_PASSPHRASE \(--passphrase-env\) is not set/);
  });

  it('imports the council root (encrypted key, passphrase from the environment) before the first start, then shows the chain and CRL', async () => {
    const imported = await runCli(['pki', 'import', '--cert', join(dir, 'ca.pem'), '--key', join(dir, 'ca-key.pem'), '--passphrase-env', 'CA_PASSPHRASE'], {
      ...env,
      CA_PASSPHRASE: 'council secret',
    });
    expect(imported.stderr).to.equal('');
    expect(imported.code).to.equal(0);
    expect(imported.stdout).to.match(/root\s+C=GB, O=Example Council, CN=Example Council Root CA \(imported\)/);
    expect(imported.stdout).to.not.match(/PRIVATE KEY|council secret/);

    const status = await runCli(['pki', 'status', '--json'], env);
    expect(status.code).to.equal(0);
    const parsed = JSON.parse(status.stdout) as { authorities: { role: string; subject: string; notAfter: string }[]; crl: { crlNumber: string; nextUpdate: string } };
    expect(parsed.authorities.map((a) => a.role)).to.deep.equal(['issuing', 'root']);
    expect(parsed.authorities[1]!.subject).to.equal('C=GB, O=Example Council, CN=Example Council Root CA');
    expect(parsed.crl.crlNumber).to.equal('1');
    expect(new Date(parsed.crl.nextUpdate).getTime()).to.be.greaterThan(Date.now());
    expect(status.stdout).to.not.match(/v1:|PRIVATE/);
  });

  it('refuses a second import without --replace, with exit code 1 and the reason', async () => {
    const again = await runCli(['pki', 'import', '--cert', join(dir, 'ca.pem'), '--key', join(dir, 'ca-key.pem'), '--passphrase-env', 'CA_PASSPHRASE'], {
      ...env,
      CA_PASSPHRASE: 'council secret',
    });
    expect(again.code).to.equal(1);
    expect(again.stderr).to.match(/A CA already exists.*--replace/);
  });

});
