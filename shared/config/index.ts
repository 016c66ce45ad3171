export { loadConfig, ConfigError, type Config } from './load-config.js';
export { configSchema, type ConfigVariable } from './schema.js';
