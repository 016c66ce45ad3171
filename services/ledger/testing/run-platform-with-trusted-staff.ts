/**
 * FOR TESTS AND BENCHMARKS ONLY: `tessera start` (every service of allServices()) plus the
 * trusted test staff, as a child process the crash test can kill -9 and the benchmark can load.
 * Reads the same environment as `tessera start`; prints `listening <url>` once ready.
 * Run: node --import tsx services/ledger/testing/run-platform-with-trusted-staff.ts
 */
import { loadConfig } from '../../../shared/config/index.js';
import { allServices } from '../../platform/services.js';
import { runPlatform } from '../../platform/run-platform.js';
import { ledgerService } from '../index.js';
import { testStaff, trustedStaffService } from './trusted-staff.js';

const config = loadConfig(process.env);
// TESSERA_ONLY=ledger runs only those services, like `tessera start --only ledger`;
// LEDGER_BATCHING=off runs the plain path (one transaction per request) for comparison.
const only = process.env.TESSERA_ONLY?.split(',').map((name) => name.trim());
const services = allServices()
  .filter((s) => !only || only.includes(s.name))
  .map((s) => (s.name === 'ledger' && process.env.LEDGER_BATCHING === 'off' ? ledgerService({ batching: false }) : s));
const running = await runPlatform({ config, services: [...services, trustedStaffService(testStaff)] });
process.stdout.write(`listening ${running.url}\n`);
const stop = () => void running.stop().then(() => process.exit(0), () => process.exit(1));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
