import type { Command } from 'commander';
import { createLogger } from '../../../../shared/logging/index.js';
import { runPlatform } from '../../run-platform.js';
import { allServices } from '../../services.js';
import { ConfigError } from '../../../../shared/config/index.js';
import { configOrExit, EXIT_CONFIG } from '../config-or-exit.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('start the all-in-one platform (embedded database unless DATABASE_URL is set)')
    .option('--only <services>', 'run only these services, comma-separated (e.g. auth)')
    .option('--no-migrate', 'do not run pending migrations at start')
    .action(async (options: { only?: string; migrate: boolean }) => {
      const config = configOrExit();
      if (!options.migrate) config.migrate = 'skip';
      const logger = createLogger(config.logLevel);
      const wanted = options.only?.split(',').map((s) => s.trim()).filter(Boolean);
      const available = allServices();
      const unknown = wanted?.filter((name) => !available.some((s) => s.name === name)) ?? [];
      if (unknown.length > 0) {
        program.error(`unknown service(s) for --only: ${unknown.join(', ')}; known: ${available.map((s) => s.name).join(', ') || '(none)'}`);
      }
      const services = wanted ? available.filter((s) => wanted.includes(s.name)) : available;
      let running;
      try {
        running = await runPlatform({ config, services, logger });
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`tessera: ${error.message}\nSee docs/configuration.md for every variable.\n`);
          process.exit(EXIT_CONFIG);
        }
        // An operator needs the reason in one line (database unreachable, port taken), not a stack trace.
        logger.debug({ err: error }, 'start failed');
        process.stderr.write(`tessera: could not start: ${(error as Error).message}\n`);
        process.exit(1);
      }
      process.stdout.write(
        [
          `Tessera is running on ${running.db.description}`,
          `  API        ${running.url}/v1/`,
          `  Health     ${running.url}/healthz  ${running.url}/readyz`,
          `  Metrics    ${running.url}/metrics`,
          `  OpenAPI    ${running.url}/openapi.json`,
          'Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        running.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
}
