import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../shared/config/index.js';

describe('configuration: TESSERA_TAP_RETENTION_DAYS', () => {
  it('keeps taps 400 days unless told otherwise', () => {
    expect(loadConfig({}).tapRetentionDays).to.equal(400);
    expect(loadConfig({ TESSERA_TAP_RETENTION_DAYS: '30' }).tapRetentionDays).to.equal(30);
  });

  it('refuses fewer than 30 days, or a value that is not a whole number, naming the variable', () => {
    for (const value of ['29', '0', '-400', '40.5', 'a year']) {
      let caught: unknown;
      try {
        loadConfig({ TESSERA_TAP_RETENTION_DAYS: value });
      } catch (error) {
        caught = error;
      }
      expect(caught, value).to.be.instanceOf(ConfigError);
      expect((caught as ConfigError).problems.map((p) => p.variable)).to.deep.equal(['TESSERA_TAP_RETENTION_DAYS']);
      expect((caught as ConfigError).message).to.match(/TESSERA_TAP_RETENTION_DAYS: expected .*at least 30/);
    }
  });
});
