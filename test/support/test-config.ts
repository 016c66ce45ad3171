import { loadConfig, type Config } from '../../shared/config/index.js';

/** The defaults an operator would get, quiet, on an ephemeral port. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: false, ...overrides };
}
