import { loadConfig, type Config } from '../../shared/config/index.js';

/**
 * The defaults an operator would get, quiet, on an ephemeral port. The daily tap purge is off:
 * a test platform must not purge (and audit) the shared test database behind other tests' backs.
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: false, tapPurgeAt: 'off', ...overrides };
}
