import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../shared/config/index.js';

describe('configuration: TESSERA_TAP_PURGE_AT', () => {
  it('purges daily at 03:30 unless told otherwise', () => {
    expect(loadConfig({}).tapPurgeAt).to.deep.equal({ hour: 3, minute: 30 });
  });

  it('takes any HH:MM of the 24-hour day, and off', () => {
    expect(loadConfig({ TESSERA_TAP_PURGE_AT: '00:00' }).tapPurgeAt).to.deep.equal({ hour: 0, minute: 0 });
    expect(loadConfig({ TESSERA_TAP_PURGE_AT: '23:59' }).tapPurgeAt).to.deep.equal({ hour: 23, minute: 59 });
    expect(loadConfig({ TESSERA_TAP_PURGE_AT: '14:05' }).tapPurgeAt).to.deep.equal({ hour: 14, minute: 5 });
    expect(loadConfig({ TESSERA_TAP_PURGE_AT: 'off' }).tapPurgeAt).to.equal('off');
  });

  it('refuses anything else, naming the variable and the expected shape', () => {
    for (const value of ['24:00', '3:30', '03:60', '03:30:00', '0330', 'OFF', 'never', ' 03:30']) {
      let caught: unknown;
      try {
        loadConfig({ TESSERA_TAP_PURGE_AT: value });
      } catch (error) {
        caught = error;
      }
      expect(caught, value).to.be.instanceOf(ConfigError);
      expect((caught as ConfigError).problems.map((p) => p.variable), value).to.deep.equal(['TESSERA_TAP_PURGE_AT']);
      expect((caught as ConfigError).message, value).to.match(/TESSERA_TAP_PURGE_AT: expected .*HH:MM.*'off'/);
    }
  });
});
