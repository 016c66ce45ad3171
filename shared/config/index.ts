export { loadConfig, ConfigError, type Config, type TimeOfDay } from './load-config.js';
export { configSchema, type ConfigVariable } from './schema.js';
