/** Shape check of a parsed card file; returns what is wrong, or undefined when it is a card. */
import { CARD_FILE_FORMAT } from './card-state.js';

const HEX = /^(?:[0-9A-Fa-f]{2})*$/;
const KEY_ALGORITHMS = new Set(['rsa2048', 'p256']);
const MANAGEMENT_ALGORITHMS = new Set(['3des', 'aes128', 'aes192', 'aes256']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTries(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 15;
}

function counterProblem(name: string, value: unknown): string | undefined {
  if (!isRecord(value)) return `${name} missing`;
  if (typeof value.value !== 'string' || !HEX.test(value.value) || value.value.length !== 16) return `${name}.value must be 8 bytes of hex`;
  if (!isTries(value.maxTries) || value.maxTries < 1) return `${name}.maxTries must be 1..15`;
  if (!isTries(value.triesLeft) || value.triesLeft > value.maxTries) return `${name}.triesLeft must be 0..maxTries`;
  return undefined;
}

export function validateCardState(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object';
  if (value.format !== CARD_FILE_FORMAT) return `format must be ${CARD_FILE_FORMAT}`;
  if (typeof value.id !== 'string' || value.id.length === 0) return 'id missing';
  if (!Number.isInteger(value.serial) || (value.serial as number) < 0 || (value.serial as number) > 0xffffffff) return 'serial must be a 32-bit number';
  if (!Array.isArray(value.version) || value.version.length !== 3 || !value.version.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) return 'version must be [major, minor, patch]';
  if (!KEY_ALGORITHMS.has(value.defaultAlg as string)) return 'defaultAlg must be rsa2048 or p256';
  const problem = counterProblem('pin', value.pin) ?? counterProblem('puk', value.puk);
  if (problem) return problem;
  const mgmt = value.managementKey;
  if (!isRecord(mgmt) || !MANAGEMENT_ALGORITHMS.has(mgmt.alg as string) || typeof mgmt.key !== 'string' || !HEX.test(mgmt.key)) return 'managementKey must be { alg, key hex }';
  if (!isRecord(value.objects) || !Object.values(value.objects).every((v) => typeof v === 'string' && HEX.test(v))) return 'objects must map tags to hex';
  if (!isRecord(value.keys)) return 'keys missing';
  for (const [slot, key] of Object.entries(value.keys)) {
    if (!isRecord(key) || !KEY_ALGORITHMS.has(key.alg as string) || typeof key.pkcs8 !== 'string') return `keys.${slot} must be { alg, pkcs8 }`;
  }
  return undefined;
}
