/** Configuration: YAML file plus FLOWLENS_* environment overrides, validated with line numbers. */
export { loadConfig, ConfigError, type ConfigIssue, type LoadConfigOptions } from './load.ts';
export { configSchema, type Config } from './schema.ts';
export { parseDuration, parseListen, parseSize, type ListenAddress } from './units.ts';
