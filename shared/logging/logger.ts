import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/**
 * Paths that may carry secrets anywhere in a log object. Secrets (PINs, PUKs, management
 * keys, CA keys, passwords, tokens) must never reach a log line, whoever logs the object.
 */
const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.pin',
  '*.puk',
  '*.newPin',
  '*.managementKey',
  '*.privateKey',
  '*.kek',
  '*.token',
  '*.secret',
];

export function createLogger(level: LevelWithSilent = 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'tessera' }, redact: { paths: redactPaths, censor: '[redacted]' } }, destination);
}
