import { ConfigError, loadConfig, type Config } from '../../../shared/config/index.js';

/** Exit code for a configuration the operator must fix (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;

/** Loads the configuration or prints every problem in one message and exits non-zero. */
export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tessera: ${error.message}\nSee docs/configuration.md for every variable.\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
}
