import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { TesseraError } from '../../../../shared/errors/index.js';
import type { PkiStatus } from '../platform-pki.js';
import { withPki } from './with-pki.js';

/** `tessera pki status` and `tessera pki import`. */
export function registerPkiCommands(program: Command): void {
  const pki = program.command('pki').description('the platform CA: status, and importing an existing CA');

  pki
    .command('status')
    .description('show the CA chain (subjects, expiry), the current CRL (number, next update) and certificate counts')
    .option('--json', 'print JSON instead of text')
    .action((options: { json?: boolean }) =>
      withPki(async (platformPki) => {
        const status = await platformPki.status();
        process.stdout.write(options.json ? `${JSON.stringify(status, jsonValue, 2)}\n` : formatStatus(status));
        if (status.authorities.length === 0) process.exitCode = 1;
      }),
    );

  pki
    .command('import')
    .description('import an existing CA certificate and its private key (e.g. the council PKI); a self-signed root gets a new issuing CA under it')
    .requiredOption('--cert <file>', 'PEM: the CA certificate, optionally followed by its chain up to the root')
    .requiredOption('--key <file>', 'PEM private key of that CA (PKCS#8, SEC1 or PKCS#1)')
    .option('--chain <file>', 'PEM: further chain certificates up to the root')
    .option('--passphrase-env <variable>', 'name of the environment variable holding the key passphrase (never pass it as an argument)')
    .option('--replace', 'retire the current CA hierarchy; certificates it issued stop verifying and cards need reissuing')
    .action((options: { cert: string; key: string; chain?: string; passphraseEnv?: string; replace?: boolean }) => {
      const passphrase = options.passphraseEnv ? process.env[options.passphraseEnv] : undefined;
      if (options.passphraseEnv && passphrase === undefined) {
        process.stderr.write(`tessera: the variable ${options.passphraseEnv} (--passphrase-env) is not set\n`);
        process.exitCode = 1;
        return;
      }
      return withPki(async (platformPki) => {
        const authorities = await platformPki.importAuthority(
          {
            certificatePem: readText(options.cert),
            privateKeyPem: readText(options.key),
            chainPem: options.chain ? readText(options.chain) : undefined,
            passphrase,
          },
          { replace: options.replace ?? false },
        );
        process.stdout.write(`Imported. The CA chain is now:\n${authorities.map((a) => `  ${a.role.padEnd(12)} ${a.certificate.subject} (${a.origin})`).join('\n')}\n`);
      });
    });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new TesseraError('ERR_PKI_IMPORT_INVALID', `Cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function formatStatus(status: PkiStatus): string {
  if (status.authorities.length === 0) return 'No CA yet: it is created at the first start, or import one with `tessera pki import`.\n';
  const lines = ['CA chain (issuing first):'];
  for (const a of status.authorities) {
    lines.push(`  ${a.role.padEnd(12)} ${a.subject}`);
    lines.push(`  ${''.padEnd(12)} ${a.keyAlgorithm}, ${a.origin}${a.holdsKey ? ', key held' : ''}, valid ${a.notBefore.toISOString()} to ${a.notAfter.toISOString()}`);
    lines.push(`  ${''.padEnd(12)} sha256 ${a.fingerprint}`);
  }
  if (status.crl) {
    lines.push(`CRL: number ${status.crl.crlNumber}, ${status.crl.entryCount} entries, this update ${status.crl.thisUpdate.toISOString()}, next update ${status.crl.nextUpdate.toISOString()}`);
  } else {
    lines.push('CRL: none issued yet');
  }
  const c = status.certificates;
  lines.push(`Card certificates: ${c.active} active, ${c.on_hold} on hold, ${c.revoked} revoked`);
  return `${lines.join('\n')}\n`;
}

function jsonValue(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
