import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../shared/config/index.js';

describe('configuration from the environment', () => {
  it('gives the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).to.include({ port: 8080, dataDir: './data', migrate: 'auto', seedDemo: true, timeZone: 'Europe/London' });
    expect(config.databaseUrl).to.equal(undefined);
  });

  it('coerces numbers and treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '9000', TESSERA_DB_POOL_MAX: '', LOG_LEVEL: 'debug' });
    expect(config.port).to.equal(9000);
    expect(config.dbPoolMax).to.equal(10);
    expect(config.logLevel).to.equal('debug');
  });

  it('does not seed demo data on PostgreSQL unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/tessera' }).seedDemo).to.equal(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/tessera', TESSERA_SEED_DEMO: 'true' }).seedDemo).to.equal(true);
  });

  it('names every bad variable in one error, with what it expects', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', TESSERA_TIMEZONE: 'Mars/Olympus', TESSERA_MIGRATE: 'sometimes' });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.problems.map((p) => p.variable).sort()).to.deep.equal(['LOG_LEVEL', 'PORT', 'TESSERA_MIGRATE', 'TESSERA_TIMEZONE']);
    expect(error.message).to.match(/PORT: expected .*integer.*\(got "eighty"\)/);
    expect(error.message).to.match(/TESSERA_TIMEZONE: expected .*IANA/);
  });

  it('rejects a port out of range and a non-PostgreSQL URL', () => {
    expect(() => loadConfig({ PORT: '70000' })).to.throw(ConfigError, /PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/x' })).to.throw(ConfigError, /DATABASE_URL/);
  });

  it('never echoes a value that may hold credentials', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x', TESSERA_KEK: 'short' }))
      .to.throw(ConfigError)
      .that.satisfies((e: Error) => !e.message.includes('hunter2') && !e.message.includes('short'));
  });
});
