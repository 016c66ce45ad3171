import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { openReaderSpec } from '../../../shared/readers/index.js';
import { PLATFORM_VERSION } from '../../platform/version.js';
import { AGENT_ROLES, isAgentRole } from '../agent-roles.js';
import { describeEvent } from '../describe-event.js';
import { fixedPin, noPinPad, terminalPin, type PinSource } from '../pin-source.js';
import { PlatformClient } from '../platform-client.js';
import { ReaderAgent, type AgentEvent } from '../reader-agent.js';
import { DoorRole } from '../door/index.js';

interface AgentCliOptions {
  reader: string;
  role: string;
  platform?: string;
  credentialFile?: string;
  purpose?: string;
  target?: string;
  pinFrom?: string;
  payload?: string;
  json?: boolean;
  firmwareVersion: string;
  configVersion: string;
  doorCache?: string;
}

function pinSourceOf(spec: string | undefined): PinSource {
  if (spec === undefined) return noPinPad;
  if (spec === 'prompt') return terminalPin();
  if (spec.startsWith('env:')) {
    const value = process.env[spec.slice(4)];
    if (!value) throw new Error(`--pin-from ${spec}: the variable is not set`);
    return fixedPin(value);
  }
  throw new Error('--pin-from is "prompt" or "env:<VARIABLE>"');
}

function credentialOf(options: AgentCliOptions): string {
  const text = options.credentialFile ? readFileSync(options.credentialFile, 'utf8') : process.env.TESSERA_READER_CREDENTIAL;
  if (!text?.trim()) throw new Error('no reader credential: set TESSERA_READER_CREDENTIAL or pass --credential-file (from `tessera reader add`)');
  return text.trim();
}

/** `tessera agent`: run the reader agent beside a PC/SC or simulated reader (docs/reader-agent.md). */
export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('watch a card reader and turn each card into a tap on the platform (docs/reader-agent.md)')
    .requiredOption('--reader <name|sim:cardfile>', 'a PC/SC reader name (as opensc-tool -l lists it), or sim:<card file> for an in-process simulated card')
    .requiredOption('--role <role>', `${Object.keys(AGENT_ROLES).join('|')}: what the reader stands beside (sets the default purpose)`)
    .option('--platform <url>', 'the platform base URL (default TESSERA_PLATFORM_URL, else http://localhost:8080)')
    .option('--credential-file <path>', 'a file holding the reader credential (default: TESSERA_READER_CREDENTIAL)')
    .option('--purpose <purpose>', 'the purpose to ask for, instead of the role default')
    .option('--target <target>', "the target to name, when the reader is registered without one")
    .option('--pin-from <source>', 'where PINs come from when a purpose needs card+pin: prompt (the terminal) or env:<VARIABLE>')
    .option('--payload <text>', 'payload (UTF-8) to sign with every tap, e.g. an amount')
    .option('--door-cache <dir>', 'door role: where the offline allow-list and unsent door events are kept (default: memory only)')
    .option('--json', 'print one JSON object per event instead of a line of text')
    .option('--firmware-version <v>', 'firmware version reported in heartbeats', `tessera-agent-${PLATFORM_VERSION}`)
    .option('--config-version <v>', 'configuration version reported in heartbeats', 'default')
    .action(async (options: AgentCliOptions) => {
      if (!isAgentRole(options.role)) program.error(`--role must be one of ${Object.keys(AGENT_ROLES).join(', ')}`);
      const baseUrl = (options.platform ?? process.env.TESSERA_PLATFORM_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
      let credential: string;
      let pins: PinSource;
      try {
        credential = credentialOf(options);
        pins = pinSourceOf(options.pinFrom);
      } catch (error) {
        program.error((error as Error).message);
      }
      const print = (event: AgentEvent) => {
        const line = options.json ? JSON.stringify({ at: new Date().toISOString(), ...event }) : `${new Date().toISOString()} ${describeEvent(event)}`;
        process.stdout.write(`${line}\n`);
      };
      const { provider, reader } = await openReaderSpec(options.reader);
      const client = new PlatformClient(baseUrl, credential!, { onRetry: (error, delayMs) => print({ kind: 'retry', message: (error as Error).message, delayMs }) });
      const payload = options.payload !== undefined ? Buffer.from(options.payload, 'utf8') : undefined;
      const agent = new ReaderAgent({
        provider,
        reader,
        client,
        role: options.role as keyof typeof AGENT_ROLES,
        purpose: options.purpose,
        target: options.target,
        pins: pins!,
        payload: payload ? () => payload : undefined,
        versions: { firmwareVersion: options.firmwareVersion, configVersion: options.configVersion, agentVersion: PLATFORM_VERSION },
        onEvent: print,
        door: options.role === 'door' ? new DoorRole({ baseUrl, credential: credential!, pins: pins!, cacheDirectory: options.doorCache, onProblem: (message) => print({ kind: 'error', message }) }) : undefined,
      });
      const shutdown = () => {
        void agent
          .stop()
          .then(() => provider.close())
          .finally(() => process.exit(0));
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
      await agent.start();
    });
}
