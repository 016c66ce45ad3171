/** Card files: one JSON file per card (format in docs/card-simulator.md). */
import { existsSync, readFileSync } from 'node:fs';
import type { KeyAlgorithm } from '../piv/piv-constants.js';
import { writeFileAtomic } from './atomic-write.js';
import { CardFileError } from './card-file-error.js';
import { CARD_FILE_FORMAT, type CardState } from './card-state.js';
import { FileCardStore, serializeCardState } from './card-store.js';
import { factoryState } from './factory-defaults.js';
import { provisionCard } from './provision.js';
import { validateCardState } from './validate-card-state.js';

export interface CreateCardOptions {
  alg?: KeyAlgorithm;
  /** Generate keys in 9A and 9E and store self-signed certificates for them. */
  provision?: boolean;
  overwrite?: boolean;
}

export function createCardFile(path: string, options: CreateCardOptions = {}): CardState {
  if (!options.overwrite && existsSync(path)) throw new CardFileError('ERR_CARD_FILE_EXISTS', path, 'a card file already exists here');
  const state = factoryState({ alg: options.alg ?? 'rsa2048' });
  if (options.provision) provisionCard(state);
  writeFileAtomic(path, serializeCardState(state));
  return state;
}

export function loadCardFile(path: string): CardState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CardFileError('ERR_CARD_FILE_UNREADABLE', path, 'cannot read the card file', { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new CardFileError('ERR_CARD_FILE_INVALID', path, 'not JSON', { cause });
  }
  const problem = validateCardState(parsed);
  if (problem) throw new CardFileError('ERR_CARD_FILE_INVALID', path, `not a ${CARD_FILE_FORMAT} card: ${problem}`);
  return parsed as CardState;
}

export function openCardStore(path: string): FileCardStore {
  return new FileCardStore(path, loadCardFile(path));
}
